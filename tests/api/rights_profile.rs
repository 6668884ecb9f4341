//! Data rights from the Profile: copy, rectification, objection, erasure.
