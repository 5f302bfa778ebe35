// A free list per block size and per thread, for the small objects that evaluation makes
// and drops by the million (a layer and its node per statement). glibc's malloc and free
// cost more than the rest of a layer's evaluation; reusing freed blocks costs a few
// instructions. Blocks go back to the system only when their thread ends, so the memory
// held is the peak number alive at once, which streaming keeps small. A block freed on
// another thread joins that thread's list: each list is only ever touched by its own thread.
#pragma once

#include <cstddef>
#include <new>

namespace nnspec {

template <size_t Size, size_t Align>
class BlockPool {
public:
    static void* take() {
        if (closed()) return ::operator new(Size, std::align_val_t{Align});
        List& l = list();
        if (!l.head) return ::operator new(Size, std::align_val_t{Align});
        Free* block = l.head;
        l.head = block->next;
        return block;
    }
    static void give(void* p) {
        if (closed()) {
            ::operator delete(p, std::align_val_t{Align});
            return;
        }
        List& l = list();
        Free* block = static_cast<Free*>(p);
        block->next = l.head;
        l.head = block;
    }

private:
    struct Free {
        Free* next;
    };
    static_assert(Size >= sizeof(Free));
    // The list is freed when its thread ends (a directory's worker threads end before the
    // process does); a block given back after that, while the thread's other objects are
    // destroyed, is freed at once.
    struct List {
        Free* head = nullptr;
        ~List() {
            while (head) {
                Free* next = head->next;
                ::operator delete(head, std::align_val_t{Align});
                head = next;
            }
            closed() = true;
        }
    };
    static List& list() {
        thread_local List l;
        return l;
    }
    static bool& closed() {
        thread_local bool c = false;  // trivially destructible: readable until the thread is gone
        return c;
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
