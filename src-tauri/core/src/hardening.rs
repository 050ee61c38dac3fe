//! What a process holding the vault does before anything else: no core dumps. A crash
//! of the app or the CLI must not write the passphrase, the derived key or decrypted
//! pages to disk, where they would outlive the vault's encryption.
//!
//! `RLIMIT_CORE` 0 (soft and hard) is inherited by every child, so WebKit's web and
//! network processes, which hold the text on screen, write no core either.
//! `PR_SET_DUMPABLE` 0 (Linux) also keeps the kernel's core handler (systemd-coredump,
//! apport) from collecting the process, and other processes of the same user from
//! attaching a debugger to read its memory.

use std::io;

/// Turns off core dumps for this process and its children. Call it first in `main`.
pub fn forbid_core_dumps() -> io::Result<()> {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads the struct we pass and nothing else.
    if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) } != 0 {
        return Err(io::Error::last_os_error());
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_DUMPABLE takes one integer argument; the rest are unused.
        if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_the_call_no_core_can_be_written_or_collected() {
        forbid_core_dumps().unwrap();
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into the struct we own.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_DUMPABLE takes no arguments.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
    }
}
