//! The ChatDash provider: the public API of agents' conversations, mapped onto the domain model.
