#include "tensor/allocator.h"

#include <cstdint>

#include "gtest/gtest.h"
#include "tensor/storage.h"
#include "tensor/testing.h"

namespace ember {
namespace {

TEST(CpuAllocatorTest, ReturnsSixtyFourByteAlignedMemory) {
  for (size_t n : {1u, 3u, 64u, 1000u}) {
    DataPtr p = cpu_allocator()->allocate(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p.get()) % 64, 0u) << "size " << n;
  }
}

TEST(CpuAllocatorTest, CountsCurrentBytesUntilFreed) {
  int64_t before = memory_stats().current_bytes;
  {
    DataPtr p = cpu_allocator()->allocate(4096);
    EXPECT_EQ(memory_stats().current_bytes, before + 4096);
  }
  EXPECT_EQ(memory_stats().current_bytes, before);
}

TEST(CpuAllocatorTest, PeakKeepsTheMaximumUntilReset) {
  reset_peak_memory_stats();
  int64_t base = memory_stats().current_bytes;
  { DataPtr p = cpu_allocator()->allocate(1 << 20); }
  EXPECT_GE(memory_stats().peak_bytes, base + (1 << 20));
  reset_peak_memory_stats();
  EXPECT_EQ(memory_stats().peak_bytes, memory_stats().current_bytes);
}

TEST(CpuAllocatorTest, ReusesAFreedLargeBlockForASimilarRequest) {
  empty_cache();
  void* first;
  {
    DataPtr p = cpu_allocator()->allocate(4 << 20);
    first = p.get();
  }
  EXPECT_GE(memory_stats().cached_bytes, 4 << 20);
  int64_t before = memory_stats().current_bytes;
  DataPtr q = cpu_allocator()->allocate((4 << 20) - 100);
  EXPECT_EQ(q.get(), first);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(q.get()) % 64, 0u);
  EXPECT_EQ(memory_stats().current_bytes, before + (4 << 20) - 100);
  EXPECT_EQ(memory_stats().cached_bytes, 0);
}

TEST(CpuAllocatorTest, DoesNotHandOutABlockMoreThanTwiceTooBig) {
  empty_cache();
  { DataPtr p = cpu_allocator()->allocate(8 << 20); }
  DataPtr q = cpu_allocator()->allocate(2 << 20);
  EXPECT_GE(memory_stats().cached_bytes, 8 << 20);
  empty_cache();
  EXPECT_EQ(memory_stats().cached_bytes, 0);
}

TEST(CpuAllocatorTest, SmallBlocksAreNotCached) {
  empty_cache();
  { DataPtr p = cpu_allocator()->allocate(1000); }
  EXPECT_EQ(memory_stats().cached_bytes, 0);
}

TEST(CpuAllocatorTest, ARequestNoMemoryCanHoldThrowsLibTorchsMessageWithTheBytesHeld) {
  EXPECT_EMBER_ERROR(cpu_allocator()->allocate(size_t{1} << 62),
                     HAS("DefaultCPUAllocator: can't allocate memory: you tried to allocate 4611686018427387904 "
                         "bytes. Error code 12 (Cannot allocate memory) (Ember: tensors hold "),
                     HAS(" bytes now. Make the tensor smaller, or free tensors you no longer need.)"));
}

TEST(CpuAllocatorTest, ARequestNearTheAddressSpaceDoesNotWrapAround) {
  EXPECT_EMBER_ERROR(cpu_allocator()->allocate(SIZE_MAX - 8),
                     HAS("you tried to allocate 18446744073709551607 bytes. Error code 12"));
}

TEST(CpuAllocatorTest, ZeroBytesGivesAFreeablePointer) {
  DataPtr p = cpu_allocator()->allocate(0);
  EXPECT_NE(p.get(), nullptr);
}

int deleted = 0;
void count_delete(void*) { ++deleted; }

TEST(DataPtrTest, RunsItsDeleterOnceWhenMovedAndDestroyed) {
  deleted = 0;
  int x = 0;
  {
    DataPtr a(&x, &x, &count_delete);
    DataPtr b(std::move(a));
    EXPECT_EQ(a.get(), nullptr);
    EXPECT_EQ(b.get(), &x);
  }
  EXPECT_EQ(deleted, 1);
}

TEST(StorageTest, CopiesShareTheBytesAndCountReferences) {
  Storage s = Storage::allocate(16);
  EXPECT_EQ(s.use_count(), 1u);
  {
    Storage t = s;
    EXPECT_TRUE(t.is_alias_of(s));
    EXPECT_EQ(s.use_count(), 2u);
    EXPECT_EQ(t.data(), s.data());
  }
  EXPECT_EQ(s.use_count(), 1u);
  EXPECT_EQ(s.nbytes(), 16u);
}

TEST(StorageTest, WrappedMemoryIsReleasedByItsDeleterWhenTheLastUserGoes) {
  deleted = 0;
  int x = 0;
  {
    Storage s = Storage::wrap(&x, sizeof(x), &x, &count_delete);
    Storage t = s;
    s = Storage();
    EXPECT_EQ(deleted, 0);
  }
  EXPECT_EQ(deleted, 1);
}

}  // namespace
}  // namespace ember
