/* Exercises the v4 ISA through clang: sign-extending loads and moves, signed div/mod, bswap,
 * every atomic with and without fetch, 32- and 64-bit, xchg/cmpxchg, bpf-to-bpf calls, kfunc
 * and helper calls, globals in several sections, and loops with backward branches. */
typedef unsigned long long u64; typedef long long s64; typedef unsigned int u32; typedef int s32;
typedef short s16; typedef signed char s8; typedef unsigned short u16; typedef unsigned char u8;
#define SEC(x) __attribute__((section(x), used))
#define __ksym __attribute__((section(".ksyms")))
extern u64 bpf_ktime_get_ns_kf(void) __ksym;
static long (*bpf_trace)(const char *, u32, ...) = (void *)6;
u64 counter64; u32 counter32;
const volatile s32 limit = 17;
char msg[] = "v=%d";

static __attribute__((noinline)) s64 divs(s64 a, s64 b) { return b ? a / b + a % b : 0; }
static __attribute__((noinline)) s32 divs32(s32 a, s32 b) { return b ? a / b - a % b : 0; }

SEC("xdp") int isa_v4(void *ctx)
{
    volatile s8 b = -3; volatile s16 h = -300; volatile s32 w = -70000;
    s64 x = b + h + w;
    u64 v = __builtin_bswap64((u64)x) ^ __builtin_bswap32((u32)x) ^ __builtin_bswap16((u16)x);
    __sync_fetch_and_add(&counter64, 1);
    __sync_fetch_and_or(&counter64, 2);
    __sync_fetch_and_and(&counter64, 3);
    __sync_fetch_and_xor(&counter64, 4);
    x += __sync_fetch_and_add(&counter64, 5);
    x += __sync_fetch_and_or(&counter64, 6);
    x += __sync_fetch_and_and(&counter64, 7);
    x += __sync_fetch_and_xor(&counter64, 8);
    x += __sync_fetch_and_add(&counter32, 9);
    x += __sync_fetch_and_or(&counter32, 10);
    __sync_fetch_and_and(&counter32, 11);
    x += __sync_fetch_and_xor(&counter32, 12);
    x += __sync_lock_test_and_set(&counter64, 13);
    x += __sync_val_compare_and_swap(&counter64, 14, 15);
    x += __sync_val_compare_and_swap(&counter32, 16, 17);
    x += __atomic_exchange_n(&counter32, 18, __ATOMIC_SEQ_CST);
    for (s32 i = 0; i < limit; i++)
        x += divs(x, i) + divs32((s32)x, i);
    if (x > 100) bpf_trace(msg, sizeof(msg), (s32)x);
    return (int)(v + x + bpf_ktime_get_ns_kf());
}
char _license[] SEC("license") = "GPL";
