//! Rights requests of visitors, staff deadlines, and the visit-log lookup.
