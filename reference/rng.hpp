// Deterministic random numbers for the Monte Carlo estimate of exercise 5.
#ifndef KL_REFERENCE_RNG_HPP
#define KL_REFERENCE_RNG_HPP

#include <array>
#include <cmath>
#include <cstdint>

namespace kl_reference {

// <random> distributions are implementation-defined, so the same seed would give different
// estimates with libstdc++ and libc++. Everything here is specified bit for bit: splitmix64 to
// expand the seed, xoshiro256** for the stream, the top 53 bits for uniforms and the Marsaglia
// polar method (only log and sqrt, no trigonometry) for normals.

inline std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Xoshiro256StarStar {
  public:
    // splitmix64 never yields four zero words in a row, so the all-zero state (a fixed point of
    // xoshiro) cannot arise from any seed.
    explicit Xoshiro256StarStar(std::uint64_t seed) {
        for (auto& word : s_) word = splitmix64(seed);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform on [0, 1) with 53 random bits: every value is exactly representable.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::array<std::uint64_t, 4> s_{};
};

// Standard normal deviates by the Marsaglia polar method; each accepted pair yields two.
class NormalGenerator {
  public:
    explicit NormalGenerator(std::uint64_t seed) : uniform_(seed) {}

    double next() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u = 0.0;
        double v = 0.0;
        double s = 0.0;
        do {
            u = 2.0 * uniform_.uniform() - 1.0;
            v = 2.0 * uniform_.uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return u * factor;
    }

  private:
    Xoshiro256StarStar uniform_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace kl_reference

#endif
