// The quick counter's top-level lets (quick_nn.cpp). A large file has hundreds of thousands
// of them, each looked up at every use, and a quarter of the uses in the generated benchmark
// name one that is thousands of lets back: such a lookup is a cache miss, and its cost
// grows with the table. On the machines measured, a random read costs about 40 ns in 4 MB,
// 95 ns in 8 MB and 165 ns from 16 MB up. So the table is as small as a let can be made.
//
// Open addressing with the entries in the slots themselves, so a far let is one cache miss,
// not one for a slot and one for its entry. A name of up to 7 bytes (nearly every let in a
// spec written by hand or generated: `d`, `heads`, `w1234`) is packed with its length into
// one 64-bit word, compared in one instruction and hashed with one multiplication: its
// entry is 16 bytes. A longer name goes to a second table of 32-byte entries that keep up
// to 16 bytes of it inline (comparing it reads no text megabytes back) and point into the
// text past that.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "name_hash.hpp"

namespace nnspec::quick {

// A short name's word (see LetTable) with `bits` in its last byte in memory, after the
// name's bytes, where its length and two marks are, whichever the byte order.
constexpr uint64_t let_word_meta(uint8_t bits) { return std::bit_cast<uint64_t>(std::array<uint8_t, 8>{0, 0, 0, 0, 0, 0, 0, bits}); }

class LetTable {
public:
    // A name as the table looks it up: packed if it is short, hashed either way.
    struct Key {
        std::string_view name;
        uint64_t packed;  // 0: a long name
        uint64_t hash;
    };

private:
    // The entries and their tables come first: the calls below deduce types from them.
    static constexpr size_t short_length = 7;
    // the first n bytes of a word loaded on a little-endian machine, where the last byte
    // in memory is the high one
    static constexpr std::array<uint64_t, 8> short_masks = {
        0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff};
    static constexpr uint64_t used_bit = let_word_meta(0x10);
    static constexpr uint64_t early_bit = let_word_meta(0x20);
    static constexpr uint64_t name_bits = ~let_word_meta(0xff) | let_word_meta(0x0f);  // the bytes and the length

    struct ShortEntry {
        uint64_t word = 0;  // the name's bytes, then its length and marks; 0: an empty slot
        int64_t value = 0;
        bool empty() const { return word == 0; }
        bool is(const Key& k) const { return (word & name_bits) == k.packed; }
        size_t length() const { return std::bit_cast<std::array<uint8_t, 8>>(word)[7] & 0x0f; }
        std::string_view name() const { return {reinterpret_cast<const char*>(&word), length()}; }
        uint64_t rehash() const { return key(name(), true).hash; }
        void fill(const Key& k, int64_t v, bool early) {
            word = k.packed | (early ? early_bit : 0);
            value = v;
        }
        bool is_used() const { return (word & used_bit) != 0; }
        bool is_early() const { return (word & early_bit) != 0; }
        void mark_used() { word |= used_bit; }
        void clear_early() { word &= ~early_bit; }
    };
    static_assert(sizeof(ShortEntry) == 16);

    struct LongEntry {
        static constexpr size_t inline_length = 16;
        int64_t value = 0;
        uint32_t tag = 0;          // the hash's low half (the high bits place it)
        uint32_t length : 30 = 0;  // 0: an empty slot
        uint32_t used : 1 = 0;
        uint32_t declared_early : 1 = 0;
        union {
            char short_name[inline_length];
            const char* long_name;  // in the text
        };
        std::string_view name() const { return {length <= inline_length ? short_name : long_name, length}; }
        bool empty() const { return length == 0; }
        bool is(const Key& k) const { return tag == static_cast<uint32_t>(k.hash) && same_name(name(), k.name); }
        uint64_t rehash() const { return NameHash{}(name()); }
        void fill(const Key& k, int64_t v, bool early) {
            value = v;
            tag = static_cast<uint32_t>(k.hash);
            length = static_cast<uint32_t>(k.name.size()) & 0x3fffffffu;
            used = 0;
            declared_early = early;
            if (k.name.size() <= inline_length) std::memcpy(short_name, k.name.data(), k.name.size());
            else long_name = k.name.data();
        }
        bool is_used() const { return used != 0; }
        bool is_early() const { return declared_early != 0; }
        void mark_used() { used = 1; }
        void clear_early() { declared_early = 0; }
    };
    static_assert(sizeof(LongEntry) == 32);

    // Linear probing on a power of two, indexed by the hash's high bits (the short names'
    // hash is a multiplication, whose low bits mix poorly), at most three quarters full.
    template <typename Entry>
    class Table {
    public:
        Entry* find(const Key& k) { return const_cast<Entry*>(static_cast<const Table*>(this)->find(k)); }
        const Entry* find(const Key& k) const {
            for (size_t i = k.hash >> shift_;; i = (i + 1) & mask_) {
                const Entry& e = slots_[i];
                if (e.empty()) return nullptr;
                if (e.is(k)) return &e;
            }
        }
        void prefetch(uint64_t hash) const {
            __builtin_prefetch(&slots_[hash >> shift_], 1);
            if (!orders_.empty()) __builtin_prefetch(&orders_[hash >> shift_], 1);
        }
        // the new entry's slot, to be filled; null if the name is there already
        Entry* insert(const Key& k, uint32_t order) {
            if ((size_ + 1) * 4 > slots_.size() * 3) grow(std::max<size_t>(1024, slots_.size() * 2));
            size_t i = k.hash >> shift_;
            for (; !slots_[i].empty(); i = (i + 1) & mask_) {
                if (slots_[i].is(k)) return nullptr;
            }
            ++size_;
            if (!orders_.empty()) orders_[i] = order;
            return &slots_[i];
        }
        // where the entry came in the inserts; kept only after `keep_order`
        uint32_t order(const Entry* e) const { return orders_[static_cast<size_t>(e - slots_.data())]; }
        void keep_order() {
            if (orders_.empty()) orders_.assign(slots_.size(), 0);
        }
        void reserve(size_t entries) {
            size_t capacity = 1024;
            while (capacity * 3 < entries * 4) capacity *= 2;
            if (capacity > 1024 && capacity > slots_.size() && size_ == 0) grow(capacity);  // a small one is made at the first let
        }
        template <typename F>
        void each(const F& f) const {
            for (const Entry& e : slots_) {
                if (!e.empty()) f(e);
            }
        }

    private:
        void grow(size_t capacity) {
            std::vector<Entry> old(capacity);
            old.swap(slots_);
            std::vector<uint32_t> old_orders(orders_.empty() ? 0 : capacity);
            old_orders.swap(orders_);
            mask_ = slots_.size() - 1;
            shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
            for (size_t j = 0; j < old.size(); ++j) {
                if (old[j].empty()) continue;
                size_t i = old[j].rehash() >> shift_;
                while (!slots_[i].empty()) i = (i + 1) & mask_;
                slots_[i] = old[j];
                if (!orders_.empty()) orders_[i] = old_orders[j];
            }
        }
        // two empty slots to begin with, so that a lookup needs no test for an empty table
        // (and the high bits of a hash can be taken with a shift of less than 64)
        std::vector<Entry> slots_ = std::vector<Entry>(2);
        std::vector<uint32_t> orders_;  // beside the slots: the first thread's lookups do not carry them
        size_t mask_ = 1;
        unsigned shift_ = 63;
        size_t size_ = 0;
    };

    // f(the table that holds names like `k`'s, its entry for `k` or null), on a table
    // either const or not as `self` is.
    template <typename Self, typename F>
    [[gnu::always_inline]] static decltype(auto) in_table(Self& self, const Key& k, const F& f) {
        return k.packed ? f(self.short_, self.short_.find(k)) : f(self.long_, self.long_.find(k));
    }

public:
    // `readable`: 8 bytes may be read at `name.data()` (the rest of the text is at least
    // that long, counting the NUL after it), so a short name is packed with one load.
    [[gnu::always_inline]] static Key key(std::string_view name, bool readable) {
        if (name.size() - 1 >= short_length) return {name, 0, NameHash{}(name)};  // an empty one, too
        uint64_t word = 0;
        uint64_t packed;
        if constexpr (std::endian::native == std::endian::little) {
            if (readable) {
                std::memcpy(&word, name.data(), 8);
                word &= short_masks[name.size()];
            } else {
                std::memcpy(&word, name.data(), name.size());
            }
            packed = word | uint64_t{name.size()} << 56;  // let_word_meta, with no byte array to build
        } else {
            std::memcpy(&word, name.data(), name.size());
            packed = word | let_word_meta(static_cast<uint8_t>(name.size()));
        }
        return {name, packed, packed * 0x9e3779b97f4a7c15ull};
    }

    // The let's value, now marked used, or null if there is none of that name.
    // Inlined by request: the reader asks at every name.
    [[gnu::always_inline]] const int64_t* use(const Key& k) {
        return in_table(*this, k, [](auto&, auto* e) -> const int64_t* {
            if (!e) return nullptr;
            e->mark_used();
            return &e->value;
        });
    }
    // As `use`, for the second thread reading a chunk of the first one's part (quick_nn.cpp:
    // `quick_count_nn`): only the first `visible` lets inserted count, those defined before
    // the statement being read; its table holds the ones after as well.
    const int64_t* use_before(const Key& k, uint32_t visible) {
        return in_table(*this, k, [&](auto& table, auto* e) -> const int64_t* {
            if (!e || table.order(e) >= visible) return nullptr;
            e->mark_used();
            return &e->value;
        });
    }
    // A let read again in such a chunk: true if it is the one inserted `order`-th, with this
    // value. It is no longer marked as declared early: this thread has read it.
    bool settle(const Key& k, int64_t value, uint32_t order) {
        return in_table(*this, k, [&](auto& table, auto* e) {
            if (!e || table.order(e) != order || e->value != value) return false;
            e->clear_early();
            return true;
        });
    }
    // From now on, the order of the inserts is kept (`use_before`, `settle`).
    void keep_order() {
        short_.keep_order();
        long_.keep_order();
    }
    size_t inserted() const { return inserted_; }

    bool used(std::string_view name) const {
        return in_table(*this, key(name, false), [](auto&, const auto* e) { return e && e->is_used(); });
    }
    // A new name's slot is at a random place in a table of megabytes: asked for as soon as
    // the name is read, it arrives while the value is being computed.
    void prefetch(const Key& k) const {
        if (k.packed) short_.prefetch(k.hash);
        else long_.prefetch(k.hash);
    }
    // false if the name is there already. `early`: declared by the second thread before
    // its part (quick_nn.cpp: `finish`).
    bool insert(const Key& k, int64_t value, bool early) {
        // more than an order can number, or a length can hold
        if (inserted_ >= UINT32_MAX || k.name.size() >= (size_t{1} << 30)) return false;
        const auto put = [&](auto& table) {
            auto* e = table.insert(k, static_cast<uint32_t>(inserted_));
            if (!e) return false;
            e->fill(k, value, early);
            ++inserted_;
            return true;
        };
        return k.packed ? put(short_) : put(long_);
    }
    // Room for `lets` without growing, each growth moving every entry to a random place.
    // Nearly all of a file's lets have short names; the long ones' table grows as it fills.
    void reserve(size_t lets) { short_.reserve(lets); }
    // f(name, used, declared early), for every let
    template <typename F>
    void each(const F& f) const {
        const auto each_entry = [&](const auto& e) { f(e.name(), e.is_used(), e.is_early()); };
        short_.each(each_entry);
        long_.each(each_entry);
    }

private:
    Table<ShortEntry> short_;
    Table<LongEntry> long_;
    size_t inserted_ = 0;
};

}  // namespace nnspec::quick
