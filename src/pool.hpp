// A free list per block size and per thread, for the small objects that evaluation makes
// and drops by the million (a layer and its node per statement). glibc's malloc and free
// cost more than the rest of a layer's evaluation; reusing freed blocks costs a few
// instructions. Blocks are never returned to the system, so the memory held is the peak
// number alive at once, which streaming keeps small. A block freed on another thread joins
// that thread's list: each list is only ever touched by its own thread.
#pragma once

#include <cstddef>
#include <new>

namespace nnspec {

template <size_t Size, size_t Align>
class BlockPool {
public:
    static void* take() {
        Free*& head = list();
        if (!head) return ::operator new(Size, std::align_val_t{Align});
        Free* block = head;
        head = block->next;
        return block;
    }
    static void give(void* p) {
        Free*& head = list();
        Free* block = static_cast<Free*>(p);
        block->next = head;
        head = block;
    }

private:
    struct Free {
        Free* next;
    };
    static_assert(Size >= sizeof(Free));
    static Free*& list() {
        thread_local Free* head = nullptr;
        return head;
    }
};

// An allocator for std::allocate_shared: single objects come from the pool of their size.
template <typename T>
struct PoolAllocator {
    using value_type = T;
    PoolAllocator() = default;
    template <typename U>
    PoolAllocator(const PoolAllocator<U>&) {}  // NOLINT: rebinding, as allocators do

    T* allocate(size_t n) {
        if (n != 1) return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{alignof(T)}));
        return static_cast<T*>(BlockPool<sizeof(T), alignof(T)>::take());
    }
    void deallocate(T* p, size_t n) {
        if (n != 1) {
            ::operator delete(p, std::align_val_t{alignof(T)});
            return;
        }
        BlockPool<sizeof(T), alignof(T)>::give(p);
    }
    template <typename U>
    bool operator==(const PoolAllocator<U>&) const { return true; }
};

}  // namespace nnspec
