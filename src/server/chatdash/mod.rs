//! ChatDash routes of the local server: `/agents/{agentId}/…` and `/projects/{projectId}/…` over ChatDash-shaped data.
