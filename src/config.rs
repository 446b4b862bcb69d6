//! Configuration: config.toml, profiles, key resolution, precedence, and `convo config path|show|init`.
