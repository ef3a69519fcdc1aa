"""The one tachograph history engine: VU and driver-card downloads told from a `Rota` (who drove which vehicle
when, and the odometers). Worlds feed it their crew (`mockserver.tachoshare.crew.Crew`); tests, benches and
`ddd inspect` fixtures a `FixedCrew` of plain facts (`fixed.py`)."""
