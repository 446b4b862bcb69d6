//! The HTTP transport both providers use: authenticated GETs with retries, writes sent once, bodies read within ceilings, redirects refused when unsafe, failed answers turned into errors, and keys masked wherever they could show.

pub mod attempts;
pub mod body;
pub mod errors;
pub mod redirect;
pub mod retry;
pub mod secret;
pub(crate) mod transport;

pub use retry::RetryPolicy;
pub use secret::mask_key;
