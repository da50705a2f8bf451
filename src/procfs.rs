//! What Linux says about a process: its threads and its resident and
//! virtual memory, read from `/proc/PID/status`, and its resident size
//! summed exactly from `/proc/PID/smaps_rollup`. Elsewhere these return
//! `None`, and programs print "not measured" rather than a made-up number.
//!
//! proc(5) warns that `VmRSS` in `status` (like `statm`) is inexact, because
//! of a kernel-internal scalability optimisation, and recommends
//! `smaps_rollup` when accuracy matters: [`self_memory`] reads it.
//!
//! RSS counts the pages of the process's memory that are in RAM. It does not
//! count the kernel's own memory for the process, such as each thread's
//! kernel stack, so it understates what threads cost the machine. The
//! virtual size counts address space reserved whether touched or not (a
//! thread's whole stack, glibc's per-thread `malloc` arenas), so it
//! overstates it.

/// Fields of `/proc/PID/status` that the course reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Resident set size now (`VmRSS`), in KiB.
    pub rss_kib: u64,
    /// Peak resident set size (`VmHWM`), in KiB.
    pub peak_rss_kib: u64,
    /// Number of threads (`Threads`).
    pub threads: u64,
    /// Peak virtual memory size (`VmPeak`), in KiB: address space reserved,
    /// touched or not, such as every thread's whole stack.
    pub peak_vm_kib: u64,
}

/// The status of this process.
pub fn self_status() -> Option<Status> {
    read("/proc/self/status")
}

/// The status of another process, by id (a child, say).
pub fn status_of(pid: u32) -> Option<Status> {
    read(&format!("/proc/{pid}/status"))
}

fn read(path: &str) -> Option<Status> {
    let text = std::fs::read_to_string(path).ok()?;
    parse(&text)
}

/// The number after `name` in `/proc` text of the form `Name:   123 kB`,
/// which `status` and `smaps_rollup` share.
fn number_after(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn parse(text: &str) -> Option<Status> {
    let field = |name: &str| number_after(text, name);
    Some(Status {
        rss_kib: field("VmRSS:")?,
        peak_rss_kib: field("VmHWM:")?,
        threads: field("Threads:")?,
        peak_vm_kib: field("VmPeak:")?,
    })
}

/// This process's memory, measured exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Memory {
    /// Resident set size (`Rss` in `smaps_rollup`), in KiB: pages in RAM.
    pub rss_kib: u64,
    /// Virtual size (`VmSize` in `status`), in KiB: all the address space
    /// mapped, touched or not, such as the whole of every thread's stack.
    pub virtual_kib: u64,
}

/// Exact resident and virtual sizes of this process. Slower than
/// [`self_status`]: the kernel walks every mapping to sum `Rss`.
pub fn self_memory() -> Option<Memory> {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(Memory {
        rss_kib: number_after(&rollup, "Rss:")?,
        virtual_kib: number_after(&status, "VmSize:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fields() {
        let text = "Name:\tx\nVmPeak:\t    9000 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\nThreads:\t3\n";
        assert_eq!(
            parse(text),
            Some(Status {
                rss_kib: 1024,
                peak_rss_kib: 2048,
                threads: 3,
                peak_vm_kib: 9000,
            })
        );
        assert_eq!(parse("Name:\tx\n"), None);
    }

    #[test]
    fn finds_a_number_after_its_name() {
        let rollup = "55-77 ---p 00000000 00:00 0  [rollup]\nRss:    1700 kB\nPss:  218 kB\n";
        assert_eq!(number_after(rollup, "Rss:"), Some(1700));
        assert_eq!(number_after(rollup, "Swap:"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn measures_this_process_exactly() {
        let m = self_memory().expect("Linux has smaps_rollup");
        assert!(m.rss_kib > 0 && m.virtual_kib >= m.rss_kib, "{m:?}");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_this_process() {
        let s = self_status().expect("Linux has /proc/self/status");
        assert!(s.rss_kib > 0 && s.peak_rss_kib >= s.rss_kib && s.threads >= 1);
        assert!(s.peak_vm_kib >= s.peak_rss_kib);
    }
}
