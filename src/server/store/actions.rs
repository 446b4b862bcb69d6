//! Edits to the action catalogue: declare an action, rename or relabel one.

use super::Store;
use crate::server::derive::actions::ActionDef;

impl Store {
    /// The definition with this id.
    pub(in crate::server) fn action(&self, id: i64) -> Option<&ActionDef> {
        self.planes.actions.iter().find(|d| d.id == id)
    }

    /// The definition another than `except` has under this name.
    pub(in crate::server) fn action_named(
        &self,
        name: &str,
        except: Option<i64>,
    ) -> Option<&ActionDef> {
        self.planes
            .actions
            .iter()
            .find(|d| d.name == name && Some(d.id) != except)
    }

    /// Declares an action nothing has run yet, with the next id.
    pub(in crate::server) fn add_action(
        &mut self,
        name: String,
        display_name: String,
        description: String,
    ) -> i64 {
        let id = self.planes.actions.iter().map(|d| d.id).max().unwrap_or(0) + 1;
        self.planes.actions.push(ActionDef {
            id,
            ran_as: name.clone(),
            name,
            display_name,
            description,
            records: Vec::new(),
        });
        id
    }

    /// Changes a definition in place; false when there is none with this id.
    pub(in crate::server) fn edit_action(
        &mut self,
        id: i64,
        edit: impl FnOnce(&mut ActionDef),
    ) -> bool {
        match self.planes.actions.iter_mut().find(|d| d.id == id) {
            Some(def) => {
                edit(def);
                true
            }
            None => false,
        }
    }
}
