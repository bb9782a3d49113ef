"""The stages of a run, one composite ``PTransform`` each, over the plain functions of the subpackages."""
