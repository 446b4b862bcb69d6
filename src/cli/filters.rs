//! Filter flags generated from the providers' filter schemas, so every list filter has a flag named like its API parameter.

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};

use crate::provider::Query;
use crate::provider::query::{AGENTSIGHT_FILTERS, FilterKind, FilterSpec};

/// The filters given on the command line, in the schema's order, not yet validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterArgs {
    /// (wire name, value as typed).
    pub pairs: Vec<(&'static str, String)>,
}

impl FilterArgs {
    /// Validates the flags into a query for the provider's schema.
    ///
    /// # Errors
    /// The first refused value, with the reason.
    pub fn to_query(&self, mut query: Query) -> Result<Query, crate::provider::Error> {
        query.set_all(self.pairs.iter().map(|(k, v)| (*k, v.as_str())))?;
        Ok(query)
    }
}

/// Every filter that has a flag.
fn specs() -> impl Iterator<Item = &'static FilterSpec> {
    AGENTSIGHT_FILTERS.iter()
}

fn value_name(spec: &FilterSpec) -> &'static str {
    match spec.kind {
        FilterKind::Text => "TEXT",
        FilterKind::IpAddress => "IP",
        FilterKind::TriState => "yes|no",
        FilterKind::Choice(_) => "CHOICE",
        FilterKind::Date(_) => "WHEN",
        FilterKind::MetadataPairs => "KEY:VALUE,…",
        FilterKind::Integer => "N",
        FilterKind::ChoiceList(_) => "CHOICE,…",
    }
}

fn help(spec: &FilterSpec) -> String {
    match spec.kind {
        FilterKind::Choice(choices) => format!("{} [{}]", spec.help, choices.join(", ")),
        _ => spec.help.to_owned(),
    }
}

impl Args for FilterArgs {
    fn augment_args(cmd: Command) -> Command {
        specs().fold(cmd, |cmd, spec| {
            // Kebab-case like every other flag; the API's own spelling works too.
            let kebab = spec.key.replace("__", "-").replace('_', "-");
            let mut arg = Arg::new(spec.key)
                .long(kebab.clone())
                .value_name(value_name(spec))
                .help(help(spec))
                .help_heading("Filters (as the API's list parameters)");
            if kebab != spec.key {
                arg = arg.alias(spec.key);
            }
            cmd.arg(arg)
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for FilterArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let pairs = specs()
            .filter_map(|spec| {
                matches
                    .get_one::<String>(spec.key)
                    .map(|v| (spec.key, v.clone()))
            })
            .collect();
        Ok(Self { pairs })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}
