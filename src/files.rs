//! Creating files that hold customer data: names safe from whatever an id or a file name holds, never over an existing file or a planted symlink, readable by the owner only.
//!
//! Every file is opened with `create_new` (`O_CREAT | O_EXCL`): the open fails
//! when anything — a file, a directory, a FIFO, a symlink, even a dangling
//! one — already has the name, and POSIX says an exclusive create never
//! follows a symlink in the last component. So nothing is overwritten and no
//! link is followed, without a check that a race could slip past.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

/// The most bytes a stem may take, leaving room under `NAME_MAX` (255 bytes
/// on most file systems) for a `-NNN` counter and an extension.
pub const MAX_STEM_BYTES: usize = 200;

/// The most bytes an extension may take.
const MAX_EXTENSION_BYTES: usize = 16;

/// How many numbered names are tried before giving up.
const MAX_ATTEMPTS: u32 = 1000;

/// Separates a stem from the hash of the text it was made from. It is a
/// character [`stem`] never keeps, so a changed name never equals a name kept
/// as written: distinct texts never make the same stem.
const HASH_SEPARATOR: char = '~';

/// A file name stem from untrusted text (an id, an attachment's name).
///
/// Letters, digits, `-`, `_` and `.` are kept; anything else (path separators,
/// controls, spaces, shell characters) becomes `_`. A leading `.` (a hidden
/// file) or `-` (read as an option by the commands that see it) becomes `_`.
/// The result is cut to [`MAX_STEM_BYTES`] at a character boundary. Whenever
/// anything was changed, `~` and a short hash of the whole text are appended,
/// so `a/b` and `a_b` stay two names. Never empty, never `.` or `..`.
#[must_use]
pub fn stem(raw: &str, fallback: &str) -> String {
    let mut kept: String = raw
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            '.' | '-' if i == 0 => '_',
            c if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .collect();
    if kept == raw && !raw.is_empty() && raw.len() <= MAX_STEM_BYTES {
        return kept;
    }
    if !kept.chars().any(char::is_alphanumeric) {
        fallback.clone_into(&mut kept);
    }
    let suffix = format!("{HASH_SEPARATOR}{:08x}", short_hash(raw));
    cut_to_bytes(&mut kept, MAX_STEM_BYTES - suffix.len());
    kept.push_str(&suffix);
    kept
}

/// A file name's stem and extension, each made safe: `report.pdf` →
/// (`report`, `pdf`); an extension with anything odd in it is dropped into
/// the stem. For saving an attachment under the name it came with.
#[must_use]
pub fn stem_and_extension(file_name: &str, fallback: &str) -> (String, String) {
    match file_name.rsplit_once('.') {
        Some((base, ext))
            if !base.is_empty()
                && !ext.is_empty()
                && ext.len() <= MAX_EXTENSION_BYTES
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem(base, fallback), ext.to_ascii_lowercase())
        }
        _ => (stem(file_name, fallback), String::new()),
    }
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn cut_to_bytes(text: &mut String, max: usize) {
    if text.len() > max {
        let end = (0..=max)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.truncate(end);
    }
}

/// FNV-1a, folded to 32 bits: stable across builds and platforms, so the same
/// id always makes the same name.
fn short_hash(text: &str) -> u32 {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    // Folding keeps every input bit's influence; the cast keeps the low half.
    #[allow(clippy::cast_possible_truncation)]
    let folded = (hash ^ (hash >> 32)) as u32;
    folded
}

/// Creates `path` for writing, only if nothing has that name (not even a
/// symlink, which is not followed), readable and writable by the owner only.
///
/// # Errors
/// `AlreadyExists` when the name is taken; any other reason the open failed.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates `stem.ext` in `dir`, or `stem-2.ext`, `stem-3.ext`, … when the
/// name is taken: never over anything that exists. `ext` may be empty.
/// Returns the file and its path.
///
/// # Errors
/// The directory does not take the file, or a thousand names are taken.
pub fn create_new_unique(dir: &Path, stem: &str, ext: &str) -> io::Result<(File, PathBuf)> {
    for attempt in 1..=MAX_ATTEMPTS {
        let name = numbered_name(stem, ext, attempt);
        let path = dir.join(&name);
        match create_new(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        ErrorKind::AlreadyExists,
        format!("{MAX_ATTEMPTS} names like {stem}.{ext} are taken"),
    ))
}

/// `stem.ext` for the first attempt, `stem-N.ext` after.
fn numbered_name(stem: &str, ext: &str, attempt: u32) -> String {
    let counter = if attempt > 1 {
        format!("-{attempt}")
    } else {
        String::new()
    };
    if ext.is_empty() {
        format!("{stem}{counter}")
    } else {
        format!("{stem}{counter}.{ext}")
    }
}

/// Whether anything has this name: a file, a directory, or a symlink (even
/// one pointing nowhere), which is not followed.
#[must_use]
pub fn is_taken(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_kept_as_written() {
        assert_eq!(stem("conv-abc-123", "conversation"), "conv-abc-123");
        assert_eq!(stem("package", "conversation"), "package");
        assert_eq!(stem("überprüfung_2", "conversation"), "überprüfung_2");
    }

    #[test]
    fn changed_ids_carry_a_hash_so_distinct_ids_stay_distinct() {
        let slash = stem("a/b", "conversation");
        let underscore = stem("a_b", "conversation");
        assert_eq!(underscore, "a_b");
        assert!(slash.starts_with("a_b~"), "{slash}");
        assert_ne!(slash, underscore);
        // Even an id written to look like another's changed name.
        assert_ne!(stem(&slash, "conversation"), slash);
        assert_ne!(stem("a b", "c"), stem("a/b", "c"));
    }

    #[test]
    fn no_stem_is_empty_hidden_an_option_or_a_path() {
        for raw in [
            "",
            ".",
            "..",
            "../../etc/passwd",
            "/",
            "///",
            ".bashrc",
            "-rf",
            "\u{1b}[31m",
            "a\0b",
        ] {
            let s = stem(raw, "conversation");
            assert!(!s.is_empty(), "{raw:?}");
            assert!(!s.starts_with('.') && !s.starts_with('-'), "{raw:?} → {s}");
            assert!(!s.contains('/') && !s.contains('\0'), "{raw:?} → {s}");
            assert!(s.chars().any(char::is_alphanumeric), "{raw:?} → {s}");
        }
        assert!(stem("///", "conversation").starts_with("conversation~"));
    }

    #[test]
    fn long_multibyte_ids_are_cut_by_bytes_at_a_character_boundary() {
        let raw = "日本語".repeat(40); // 360 bytes
        let s = stem(&raw, "conversation");
        assert!(s.len() <= MAX_STEM_BYTES, "{}", s.len());
        assert!(s.starts_with("日本語日本語"));
        let longer = format!("{raw}x");
        assert_ne!(stem(&longer, "conversation"), s);
    }

    #[test]
    fn attachment_names_keep_a_plain_extension() {
        assert_eq!(
            stem_and_extension("report.PDF", "attachment"),
            ("report".to_owned(), "pdf".to_owned())
        );
        let (s, ext) = stem_and_extension("../x.sh;rm", "attachment");
        assert!(ext.is_empty() && !s.contains('/'), "{s} {ext}");
        let (s, ext) = stem_and_extension(".htaccess", "attachment");
        assert!(ext.is_empty() && !s.starts_with('.'), "{s} {ext}");
    }

    #[test]
    fn a_taken_name_gets_the_next_number_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.md"), "kept").unwrap();
        let (_, path) = create_new_unique(dir.path(), "c", "md").unwrap();
        assert_eq!(path, dir.path().join("c-2.md"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("c.md")).unwrap(),
            "kept"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_never_followed_even_a_dangling_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::os::unix::fs::symlink(&victim, dir.path().join("x.md")).unwrap();
        assert!(is_taken(&dir.path().join("x.md")));
        let err = create_new(&dir.path().join("x.md")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        let (_, path) = create_new_unique(dir.path(), "x", "md").unwrap();
        assert_eq!(path, dir.path().join("x-2.md"));
        assert!(!victim.exists());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
