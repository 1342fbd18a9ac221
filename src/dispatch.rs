//! Run-time CPU dispatch for the loops across symbols.
//!
//! The default x86-64 target has only SSE2: two `f64` lanes, and a select is
//! three instructions. The universe forms' loops (the APEX rules above all)
//! run about twice as fast with AVX2, which nearly every x86-64 CPU since
//! 2015 has. [`wide`] runs a closure in a copy of itself compiled with AVX2
//! when the CPU has it (detected once, with `std`), and in the baseline copy
//! otherwise. The dispatch is the `multiversion` crate's; apex-ta's own code
//! stays free of `unsafe`.
//!
//! Both copies give the same values, bit for bit: Rust never contracts
//! `a * b + c` into a fused multiply-add, and every other floating-point
//! operation is IEEE-exact whatever the register width. Only the speed
//! changes. (Without `std`, or off x86-64, `wide` is the baseline unless the
//! build itself enables AVX2.)
//!
//! Code reaches the AVX2 copy only when inlined into the closure, hence the
//! `#[inline(always)]` on the loops that `wide` runs.

/// Defines [`wide`] and, for the tests, `wide_copy_has_avx2`, with one list of
/// targets.
macro_rules! dispatched {
    ($targets:literal) => {
        /// `f()`, run in the AVX2 copy of this function on a CPU with AVX2.
        #[multiversion::multiversion(targets($targets))]
        pub(crate) fn wide<R, F: FnOnce() -> R>(f: F) -> R {
            f()
        }

        /// Whether [`wide`] runs its AVX2 copy here.
        #[cfg(test)]
        #[multiversion::multiversion(targets($targets))]
        fn wide_copy_has_avx2() -> bool {
            multiversion::target::selected_target!().supports_feature_str("avx2")
        }
    };
}

dispatched!("x86_64+avx2");

#[cfg(all(test, feature = "std", target_arch = "x86_64"))]
mod tests {
    /// On a CPU with AVX2, `wide` runs its AVX2 copy: the tests that compare
    /// `wide`'s results with the baseline's then compare two compilations.
    #[test]
    fn wide_picks_the_avx2_copy_where_the_cpu_has_it() {
        assert_eq!(
            super::wide_copy_has_avx2(),
            std::is_x86_feature_detected!("avx2")
        );
    }
}
