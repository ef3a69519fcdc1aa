"""The QA console at `/_sim/console/`: server-rendered page shells, a vendored script that fills them from the
public routes (control plane and APIs), the chart drawings, and the journal as server-sent events."""
