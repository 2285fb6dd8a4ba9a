// Per-thread caches of freed blocks for the objects every recorded op
// allocates: its node, the AccumulateGrad of a leaf input (which lives only
// as long as some graph uses it, so a loop of ops on a leaf makes and frees
// one per op), and the AutogradMeta of a view or a result.
//
// The pattern of //tensor's Note [TensorImpl free list], per block size:
// each thread keeps up to kMaxCachedBlocks freed blocks in a list threaded
// through the blocks themselves and hands them out again (a pop and a push,
// no call, no lock). A block freed by another thread than the one that
// allocated it joins the freeing thread's list. At thread exit the list is
// returned to the system and the thread stops caching. Not under ASan,
// which must see every free to catch a use after it.
//
// Frees are unsized (`::operator delete(p)`): Clang 14 declares the sized
// form only with -fsized-deallocation, and //migrate's Clang parses this
// header.
//
//   struct Meta { static void* operator new(size_t) { return BlockCache<sizeof(Meta)>::allocate(); } ... };
//   auto node = std::allocate_shared<OpNode>(CachingAllocator<OpNode>(), ...);
#ifndef EMBER_AUTOGRAD_BLOCK_CACHE_H_
#define EMBER_AUTOGRAD_BLOCK_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "tensor/tensor_impl.h"

namespace ember {
namespace autograd {
namespace impl {

// Blocks are cached exactly when TensorImpls are (not under ASan).
constexpr bool kCacheBlocks = ember::detail::kPoolTensorImpls;
constexpr int32_t kMaxCachedBlocks = 64;

template <size_t Size>
class BlockCache {
  static_assert(Size >= sizeof(void*), "a cached block holds the next pointer");

 public:
  static void* allocate() {
    List& list = list_;
    if (kCacheBlocks && list.head != nullptr) {
      void* p = list.head;
      list.head = *static_cast<void**>(p);
      --list.count;
      return p;
    }
    return ::operator new(Size);
  }
  static void deallocate(void* p) noexcept {
    List& list = list_;
    if (kCacheBlocks && list.state == kActive && list.count < kMaxCachedBlocks) {
      push(list, p);
      return;
    }
    deallocate_slow(p);
  }

 private:
  enum State : int32_t { kUnregistered = 0, kActive = 1, kDrained = 2 };
  // A POD with a constant initialiser: read in place, no TLS wrapper call.
  struct List {
    void* head;
    int32_t count;
    int32_t state;
  };
  // Its destructor runs at thread exit (for the main thread, before static
  // destructors, whose blocks then go straight back to the system).
  struct Drainer {
    ~Drainer() {
      List& list = list_;
      list.state = kDrained;
      while (list.head != nullptr) {
        void* p = list.head;
        list.head = *static_cast<void**>(p);
        ::operator delete(p);
      }
      list.count = 0;
    }
  };

  static void push(List& list, void* p) noexcept {
    *static_cast<void**>(p) = list.head;
    list.head = p;
    ++list.count;
  }
  // The first free on this thread arranges for the drain, then caches.
  [[gnu::noinline]] static void deallocate_slow(void* p) noexcept {
    List& list = list_;
    if (kCacheBlocks && list.state == kUnregistered) {
      static thread_local Drainer drainer;
      (void)drainer;
      list.state = kActive;
      push(list, p);
      return;
    }
    ::operator delete(p);
  }

  static inline thread_local List list_ = {nullptr, 0, kUnregistered};
};

// A std allocator over BlockCache, for std::allocate_shared: the node and its
// control block come from one cached block.
template <class T>
struct CachingAllocator {
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "cached blocks have operator new's alignment");
  using value_type = T;

  CachingAllocator() = default;
  template <class U>
  CachingAllocator(const CachingAllocator<U>&) {}  // NOLINT: rebinding is implicit in the std allocator model

  T* allocate(size_t n) {
    if (n == 1) return static_cast<T*>(BlockCache<sizeof(T)>::allocate());
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n == 1) return BlockCache<sizeof(T)>::deallocate(p);
    ::operator delete(p);
  }
  // Stateless: any one frees what another allocated.
  friend bool operator==(const CachingAllocator&, const CachingAllocator&) { return true; }
  friend bool operator!=(const CachingAllocator&, const CachingAllocator&) { return false; }
};

}  // namespace impl
}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_BLOCK_CACHE_H_
