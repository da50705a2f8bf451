//! Tests for Part I's parallel sum: `cargo test -p exercises --test scoped_sum`.

#[cfg_attr(not(feature = "solutions"), path = "../src/scoped_sum.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/scoped_sum.rs")]
mod scoped_sum;

use scoped_sum::{parallel_sum, partial_sums};

#[test]
fn four_threads_give_four_chunk_sums_in_order() {
    let values: Vec<u64> = (1..=1000).collect();
    let sums = partial_sums(&values, 4);
    let expected: Vec<u64> = values.chunks(250).map(|c| c.iter().sum()).collect();
    assert_eq!(
        sums, expected,
        "1..=1000 on 4 threads: chunks of 250 values, their sums in chunk order"
    );
}

#[test]
fn the_sum_is_the_same_on_any_number_of_threads() {
    let values: Vec<u64> = (0..10_007).map(|i| i * 7 % 1000).collect();
    let expected: u64 = values.iter().sum();
    for threads in [1, 2, 3, 8, 64] {
        assert_eq!(
            parallel_sum(&values, threads),
            expected,
            "wrong sum on {threads} thread(s)"
        );
    }
}

#[test]
fn uneven_and_tiny_inputs() {
    // 10 values on 4 threads: chunks of 3, 3, 3 and 1.
    let values: Vec<u64> = (1..=10).collect();
    assert_eq!(partial_sums(&values, 4), [6, 15, 24, 10]);
    // More threads than values: one value per chunk.
    assert_eq!(partial_sums(&[5, 6], 8), [5, 6]);
    // Nothing to sum: no chunks, and a sum of zero.
    assert!(partial_sums(&[], 4).is_empty(), "no values, no chunks");
    assert_eq!(parallel_sum(&[], 4), 0);
}
