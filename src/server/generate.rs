//! Deterministic generation of realistic conversations (`convo serve --generate N --seed S`).
