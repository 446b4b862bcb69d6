//! Filter flags generated from the providers' filter schemas, so every list filter has a flag named like its API parameter.

use std::fmt;
use std::marker::PhantomData;

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};

use crate::provider::query::{AGENTSIGHT_FILTERS, FilterKind, FilterSpec, plane_schema};
use crate::provider::{Plane, Query};

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
        FilterKind::ChoiceList(choices) => {
            format!("{} [any of {}, joined by ,]", spec.help, choices.join(", "))
        }
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

/// A list route whose filters become flags: which plane, and which of its
/// filter names the command sets itself (a positional id, its own flags), so
/// those never become flags twice.
pub trait PlaneFlags {
    /// The route whose schema gives the flags.
    const PLANE: Plane;
    /// Filter names the command fills in itself.
    const OWN: &'static [&'static str] = &[];
}

/// Flag names every command already has; a filter by one of these names is
/// left to the flag (clap refuses two arguments by one name).
const TAKEN: &[&str] = &[
    "page",
    "page-size",
    "all",
    "format",
    "config",
    "profile",
    "endpoint",
    "provider",
    "demo",
    "log-file",
    "no-color",
    "mouse",
    "help",
    "version",
    "rows",
    "group-by",
    "currency",
    "logs",
];

/// Kebab-case, like every other flag (`created_at__gte` → `created-at-gte`).
fn kebab(key: &str) -> String {
    key.replace("__", "-").replace('_', "-")
}

/// The filters of one list route given on the command line, in the schema's
/// order, not yet validated. The flags are generated from the route's schema,
/// so a filter added there needs no change here.
pub struct PlaneFilterArgs<P> {
    /// (wire name, value as typed).
    pub pairs: Vec<(&'static str, String)>,
    plane: PhantomData<P>,
}

impl<P> Clone for PlaneFilterArgs<P> {
    fn clone(&self) -> Self {
        Self {
            pairs: self.pairs.clone(),
            plane: PhantomData,
        }
    }
}

impl<P> fmt::Debug for PlaneFilterArgs<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaneFilterArgs")
            .field("pairs", &self.pairs)
            .finish()
    }
}

impl<P: PlaneFlags> PlaneFilterArgs<P> {
    /// The route's filters that have a flag here.
    fn specs() -> impl Iterator<Item = &'static FilterSpec> {
        plane_schema(P::PLANE)
            .0
            .iter()
            .filter(|s| !P::OWN.contains(&s.key) && !TAKEN.contains(&kebab(s.key).as_str()))
    }

    /// Validates the flags into `query` (the route's empty query), with the
    /// command's own filters first so a flag cannot override them silently.
    ///
    /// # Errors
    /// The first refused value, with the reason.
    pub fn to_query(
        &self,
        mut query: Query,
        own: &[(&str, String)],
    ) -> Result<Query, crate::provider::Error> {
        query.set_all(
            own.iter()
                .map(|(k, v)| (*k, v.as_str()))
                .chain(self.pairs.iter().map(|(k, v)| (*k, v.as_str()))),
        )?;
        Ok(query)
    }
}

impl<P: PlaneFlags> Args for PlaneFilterArgs<P> {
    fn augment_args(cmd: Command) -> Command {
        let aliases = plane_schema(P::PLANE).1;
        Self::specs().fold(cmd, |cmd, spec| {
            let long = kebab(spec.key);
            let mut arg = Arg::new(spec.key)
                .long(long.clone())
                .value_name(value_name(spec))
                .help(help(spec))
                .help_heading("Filters (as the API's list parameters)");
            // The API's own spelling and the route's other names work too.
            let mut other_names: Vec<String> = aliases
                .iter()
                .filter(|(_, key)| *key == spec.key)
                .flat_map(|(alias, _)| [kebab(alias), (*alias).to_owned()])
                .collect();
            other_names.push(spec.key.to_owned());
            other_names.sort();
            other_names.dedup();
            for name in other_names {
                if name != long && !TAKEN.contains(&name.as_str()) {
                    arg = arg.alias(name);
                }
            }
            cmd.arg(arg)
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl<P: PlaneFlags> FromArgMatches for PlaneFilterArgs<P> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let pairs = Self::specs()
            .filter_map(|spec| {
                matches
                    .get_one::<String>(spec.key)
                    .map(|v| (spec.key, v.clone()))
            })
            .collect();
        Ok(Self {
            pairs,
            plane: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// `convo feedbacks`: every feedback filter.
#[derive(Clone, Copy, Debug)]
pub struct FeedbackFlags;
impl PlaneFlags for FeedbackFlags {
    const PLANE: Plane = Plane::Feedbacks;
}

/// `convo tickets`: every ticket filter.
#[derive(Clone, Copy, Debug)]
pub struct TicketFlags;
impl PlaneFlags for TicketFlags {
    const PLANE: Plane = Plane::Tickets;
}

/// `convo actions`: every action filter.
#[derive(Clone, Copy, Debug)]
pub struct ActionFlags;
impl PlaneFlags for ActionFlags {
    const PLANE: Plane = Plane::Actions;
}

/// `convo usage`: every usage filter (the summary takes the same ones).
#[derive(Clone, Copy, Debug)]
pub struct UsageFlags;
impl PlaneFlags for UsageFlags {
    const PLANE: Plane = Plane::Usage;
}

/// `convo spans CONVERSATION`: every span filter but the conversation, which is the argument.
#[derive(Clone, Copy, Debug)]
pub struct SpanFlags;
impl PlaneFlags for SpanFlags {
    const PLANE: Plane = Plane::Spans;
    const OWN: &'static [&'static str] = &["conversation", "conversation_id"];
}
