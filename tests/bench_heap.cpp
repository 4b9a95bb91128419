// What a malloc/free pair costs in the guarded heap against the C library's: the loop a C++
// submission's containers make (two small vectors per round, each zero-filled by memset). Linked
// with the worker's allocator (grader/malloc_interpose.cpp), so that blocks are guarded between
// begin_call and end_call as in the worker. Not a test: docs/performance.md quotes it, run once
// as is and once with the worker's environment
// (GLIBC_TUNABLES=glibc.cpu.hwcaps=Prefer_No_AVX512,-AVX512VL,-AVX512BW), which is what the worker
// gets.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "grader/sandbox/guarded_heap.hpp"

namespace heap = grader::sandbox::heap;
using Clock = std::chrono::steady_clock;

namespace {

// Nanoseconds per malloc/free pair, the best of five runs of `rounds` rounds.
double pair_ns(int rounds, bool guarded) {
    double best = 1e300;
    for (int run = 0; run < 5; ++run) {
        const char frame = 0;
        if (guarded) heap::begin_call(&frame);
        const auto t = Clock::now();
        double sink = 0;
        for (int i = 0; i < rounds; ++i) {
            std::vector<double> a(2 + (i & 3)), b(8);
            a[0] = i;
            b[1] = a[0] * 2;
            sink += b[1] + a.back();
        }
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t).count();
        if (guarded) heap::end_call();
        if (sink < 0) std::puts("");  // keeps the loop
        best = std::min(best, ns / rounds / 2);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 100000;
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    std::printf(
        "a malloc/free pair with a small memset, best of 5 x %d rounds (GLIBC_TUNABLES=%s):\n",
        rounds, tunables ? tunables : "");
    std::printf("  the C library's allocator   %6.1f ns\n", pair_ns(rounds, false));
    std::printf("  the guarded heap            %6.1f ns\n", pair_ns(rounds, true));
    return 0;
}
