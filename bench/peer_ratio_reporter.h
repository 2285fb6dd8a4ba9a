// Prints Google Benchmark results as Ember-vs-peer ratios.
//
// Benchmarks are registered in pairs named "<case>/ember" and
// "<case>/libtorch", measured in the same run. Absolute times on a shared,
// noisy machine say little; the ratio of two measurements taken side by side
// says more. After the usual console output this reporter prints
//
//   case                          ember      libtorch   libtorch/ember
//   InferenceModeEnterExit        1.9 ns     5.7 ns     3.0x
//
// where the last column is how many times faster Ember is (>1 is faster).
//
//   int main(int argc, char** argv) {
//     return ember::bench::RunWithPeerRatios(argc, argv);
//   }
#ifndef EMBER_BENCH_PEER_RATIO_REPORTER_H_
#define EMBER_BENCH_PEER_RATIO_REPORTER_H_

namespace ember {
namespace bench {

// Initialises Google Benchmark from the command line, runs every registered
// benchmark, prints the ratio table and returns the process exit code.
int RunWithPeerRatios(int argc, char** argv);

}  // namespace bench
}  // namespace ember

#endif  // EMBER_BENCH_PEER_RATIO_REPORTER_H_
