//! The AgentSight provider.
