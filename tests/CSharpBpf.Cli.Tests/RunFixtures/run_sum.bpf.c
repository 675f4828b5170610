// Fixture for `csbpf run` (tests/CSharpBpf.Cli.Tests/RunCommandTests.cs): self-contained programs,
// no maps. Build: clang-22 -O2 -target bpf -c run_sum.bpf.c -o run_sum.bpf.o
typedef unsigned long long u64;
typedef unsigned char u8;

__attribute__((section("xdp"), used))
int sum_loop(void *ctx)
{
    u64 sum = 0;
    for (volatile int i = 0; i < 1000; i++) sum += i;
    return (int)(sum & 0xffff);
}

// bpf_conformance style: r1 = memory, r2 = length; returns the sum of the bytes.
__attribute__((section("socket"), used))
u64 byte_sum(u8 *mem, u64 len)
{
    u64 s = 0;
    for (u64 i = 0; i < len && i < 64; i++) s += mem[i];
    return s;
}
