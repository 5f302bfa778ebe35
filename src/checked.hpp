// Checked arithmetic, used by every pass that computes a count, a size or a shape.
//
// Two types: `Int` is the value of an integer expression in the language (signed, so
// `-3 + 5` works, but every value must fit in 64 bits: |v| <= 2^64-1, which lets a user
// write any count, up to UINT64_MAX, as a literal). `Count` is a parameter count: an
// unsigned 64-bit number that remembers if any operation on the way overflowed, so a
// formula is written as plain arithmetic and checked once at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nnspec {

__extension__ typedef __int128 Wide;            // wide enough to hold every intermediate exactly
__extension__ typedef unsigned __int128 UWide;

constexpr Wide int_limit = static_cast<Wide>(UINT64_MAX);

// The value of an integer expression; nullopt means overflow.
using Int = std::optional<Wide>;

inline Int checked(Wide v) {
    if (v > int_limit || v < -int_limit) return std::nullopt;
    return v;
}
inline Int int_add(Wide a, Wide b) { return checked(a + b); }
inline Int int_sub(Wide a, Wide b) { return checked(a - b); }
inline Int int_mul(Wide a, Wide b) {
    Wide r;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return checked(r);
}
// Floor division as Python's `//` (rounds towards negative infinity). b != 0.
inline Wide floor_div(Wide a, Wide b) {
    Wide q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::string to_string(Wide v);

// A parameter count. Overflow is sticky: once set, it stays through later operations.
class Count {
public:
    constexpr Count() = default;
    constexpr Count(uint64_t v) : value_(v) {}  // NOLINT: implicit on purpose, formulas read naturally

    static Count overflowed() { Count c; c.overflow_ = true; return c; }
    static Count from_wide(Wide v) {
        if (v < 0 || v > int_limit) return overflowed();
        return Count(static_cast<uint64_t>(v));
    }

    bool overflow() const { return overflow_; }
    uint64_t value() const { return value_; }

    friend Count operator+(Count a, Count b) {
        Count r;
        r.overflow_ = a.overflow_ || b.overflow_ || __builtin_add_overflow(a.value_, b.value_, &r.value_);
        return r;
    }
    friend Count operator*(Count a, Count b) {
        Count r;
        r.overflow_ = a.overflow_ || b.overflow_ || __builtin_mul_overflow(a.value_, b.value_, &r.value_);
        return r;
    }
    // Subtraction below zero is an internal error, reported as overflow rather than wrapped.
    friend Count operator-(Count a, Count b) {
        Count r;
        r.overflow_ = a.overflow_ || b.overflow_ || __builtin_sub_overflow(a.value_, b.value_, &r.value_);
        return r;
    }
    Count& operator+=(Count b) { return *this = *this + b; }
    Count& operator-=(Count b) { return *this = *this - b; }
    Count& operator*=(Count b) { return *this = *this * b; }
    friend bool operator==(Count a, Count b) { return a.overflow_ == b.overflow_ && a.value_ == b.value_; }

private:
    uint64_t value_ = 0;
    bool overflow_ = false;
};

}  // namespace nnspec
