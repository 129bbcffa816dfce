//! The memory of a process tree (an app and its WebKit processes) from /proc, and the machine's
//! description: what the startup and window benchmarks both read.

use std::collections::HashMap;

/// The memory of a process tree, summed over its processes.
#[derive(Clone, Copy)]
pub struct TreeMemory {
    pub rss_kib: u64,
    pub pss_kib: u64,
    pub processes: usize,
}

pub fn tree_memory(root: u32) -> TreeMemory {
    let pids = process_tree(root);
    TreeMemory {
        rss_kib: pids
            .iter()
            .filter_map(|p| kib_field(&format!("/proc/{p}/status"), "VmRSS:"))
            .sum(),
        pss_kib: pids
            .iter()
            .filter_map(|p| kib_field(&format!("/proc/{p}/smaps_rollup"), "Pss:"))
            .sum(),
        processes: pids.len(),
    }
}

/// `root` and all its descendants (WebKitWebProcess, WebKitNetworkProcess), from /proc's ppids.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if let Some(ppid) = parent_of(pid) {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        tree.extend(children.get(&tree[i]).into_iter().flatten());
        i += 1;
    }
    tree
}

/// The parent's pid from /proc/<pid>/stat; the command name may hold spaces and parentheses, so
/// the fields are counted from its closing parenthesis.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Still running: a zombie has ended, whoever reaps it.
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 1..];
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// A `Name:   123 kB` line of a /proc file, in KiB.
fn kib_field(path: &str, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

pub fn mib(kib: f64) -> f64 {
    kib / 1024.0
}

/// The CPU, its count and the memory, for the report.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "an unknown CPU".into());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = kib_field("/proc/meminfo", "MemTotal:").unwrap_or(0);
    format!(
        "{model}, {cpus} CPUs, {:.0} GiB RAM",
        mib(mem as f64) / 1024.0
    )
}
