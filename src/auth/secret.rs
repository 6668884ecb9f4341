//! The site's secret: encrypts the session cookie and signs CSRF tokens.
//! From `WM_SECRET_KEY`, or generated once into `WM_DATA_DIR/secret.key`
//! so that a restart keeps everyone logged in. Instances that share a
//! database must share `WM_SECRET_KEY` too.

use std::io::Write;
use std::path::{Path, PathBuf};

use actix_web::cookie::Key;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha512};

const KEY_FILE: &str = "secret.key";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("WM_SECRET_KEY n'est pas défini et « {} » ne peut être ni lu ni créé : {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("« {} » ne contient pas une clé écrite par wemaintain : supprimez-le pour qu'une nouvelle soit créée (toutes les sessions prennent alors fin)", .0.display())]
    Corrupt(PathBuf),
}

/// The secret in force, and keys derived from it for each use.
#[derive(Clone)]
pub struct SiteSecret {
    master: Vec<u8>,
}

impl std::fmt::Debug for SiteSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteSecret(***)")
    }
}

impl SiteSecret {
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<Self, SecretError> {
        match configured {
            Some(secret) => Ok(Self {
                master: secret.as_bytes().to_vec(),
            }),
            None => Self::from_file(&data_dir.join(KEY_FILE)),
        }
    }

    fn from_file(path: &Path) -> Result<Self, SecretError> {
        let file_error = |source| SecretError::File {
            path: path.to_owned(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let master = STANDARD
                    .decode(text.trim())
                    .ok()
                    .filter(|bytes| bytes.len() >= 32)
                    .ok_or_else(|| SecretError::Corrupt(path.to_owned()))?;
                Ok(Self { master })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(file_error)?;
                }
                let mut master = vec![0u8; 64];
                rand::rngs::OsRng.fill_bytes(&mut master);
                // create_new: two instances starting at once must not
                // overwrite each other's key; the loser reads the winner's.
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(STANDARD.encode(&master).as_bytes())
                            .and_then(|_| file.sync_all())
                            .map_err(file_error)?;
                        Ok(Self { master })
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::from_file(path)
                    }
                    Err(error) => Err(file_error(error)),
                }
            }
            Err(error) => Err(file_error(error)),
        }
    }

    /// The cookie key (encryption and signing) for the session cookie.
    pub fn cookie_key(&self) -> Key {
        Key::derive_from(&self.derive(b"session-cookie"))
    }

    /// A 64-byte key for one use, independent of the keys of other uses.
    pub fn derive(&self, purpose: &[u8]) -> Vec<u8> {
        let mut hasher = Sha512::new();
        hasher.update(b"wemaintain/");
        hasher.update(purpose);
        hasher.update(b"/");
        hasher.update(&self.master);
        hasher.finalize().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_kept_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let first = SiteSecret::load(None, dir.path()).unwrap();
        let second = SiteSecret::load(None, dir.path()).unwrap();
        assert_eq!(first.derive(b"x"), second.derive(b"x"));
        assert_ne!(first.derive(b"x"), first.derive(b"y"));
        let configured =
            SiteSecret::load(Some("a configured secret of 32 chars!!"), dir.path()).unwrap();
        assert_ne!(configured.derive(b"x"), first.derive(b"x"));
        std::fs::write(dir.path().join(KEY_FILE), "garbage").unwrap();
        assert!(matches!(
            SiteSecret::load(None, dir.path()),
            Err(SecretError::Corrupt(_))
        ));
    }
}
