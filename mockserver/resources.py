"""The simulator's path to its specs and fixtures: they live in the neutral `fleetmock_resources` package, which
`contracts` uses too (the reference clients import nothing of `mockserver`)."""

from fleetmock_resources import default_world_path, fixtures_dir, load_spec, spec_path, specs_dir

__all__ = ["default_world_path", "fixtures_dir", "load_spec", "spec_path", "specs_dir"]
