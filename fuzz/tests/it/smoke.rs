//! A short smoke run of each fuzz target inside the normal test suite: the
//! committed seed corpus, every kept regression, and a fixed number of
//! deterministic mutations of the corpus (bit flips, truncations, splices,
//! random bytes). The long coverage-guided runs use the same functions
//! through libFuzzer; see fuzz/README.md.

use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*), so the smoke run is the
/// same on every machine and every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(5) {
            0 if !data.is_empty() => {
                let at = rng.below(data.len());
                data[at] ^= 1 << rng.below(8);
            }
            1 => data.truncate(rng.below(data.len() + 1)),
            2 => {
                let at = rng.below(data.len() + 1);
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(64)).min(other.len());
                data.splice(at..at, other[from..to].iter().copied());
            }
            3 => {
                let at = rng.below(data.len() + 1);
                let noise: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                data.splice(at..at, noise);
            }
            _ => data = (0..rng.below(128)).map(|_| rng.next() as u8).collect(),
        }
    }
    data
}

fn smoke(target: &str, run: fn(&[u8]), iterations: usize) {
    // Read at run time: a binary built in another clone sharing the target
    // directory must test this clone's corpus.
    let root = &std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo");
    let corpus = files(&root.join("corpus").join(target));
    let regressions = files(&root.join("regressions").join(target));
    assert!(!corpus.is_empty(), "fuzz/corpus/{target} has no seeds");
    for (path, bytes) in corpus.iter().chain(&regressions) {
        // A panic here names the file to reproduce with.
        eprintln!("{target}: {}", path.display());
        run(bytes);
    }
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ target.len() as u64);
    for _ in 0..iterations {
        let seed = &corpus[rng.below(corpus.len())].1;
        let other = &corpus[rng.below(corpus.len())].1;
        run(&mutate(&mut rng, seed, other));
    }
}

#[test]
fn spec_bytes_smoke() {
    smoke("spec_bytes", fuzz_targets::spec_bytes, 200);
}

#[test]
fn spec_mutations_smoke() {
    smoke("spec_mutations", fuzz_targets::spec_mutations, 200);
}

#[test]
fn schema_shapes_smoke() {
    smoke("schema_shapes", fuzz_targets::schema_shapes, 400);
}

#[test]
fn response_decode_smoke() {
    smoke("response_decode", fuzz_targets::response_decode, 3000);
}

#[test]
fn drift_compare_smoke() {
    smoke("drift_compare", fuzz_targets::drift_compare, 3000);
}

#[test]
fn webhook_receive_smoke() {
    smoke("webhook_receive", fuzz_targets::webhook_receive, 3000);
}
