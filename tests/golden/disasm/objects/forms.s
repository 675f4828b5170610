# Every instruction form llvm-22 can assemble (BPF v4 plus may_goto, gotox, load-acquire, store-release, addr_space_cast).
	.text
	.globl f
	.type f,@function
f:
	r0 = 1
	r0 = r1
	w0 = 1
	w0 = w1
	r0 += 1
	r0 += r1
	w0 += 1
	w0 += w1
	r0 -= r1
	r0 *= r1
	r0 /= r1
	r0 s/= r1
	r0 %= r1
	r0 s%= r1
	w0 s/= w1
	w0 s%= 3
	r0 |= r1
	r0 &= r1
	r0 <<= r1
	r0 >>= r1
	r0 s>>= r1
	r0 ^= r1
	r0 = -r0
	w0 = -w0
	r0 = (s8)r1
	r0 = (s16)r1
	r0 = (s32)r1
	w0 = (s8)w1
	w0 = (s16)w1
	r0 = bswap16 r0
	r0 = bswap32 r0
	r0 = bswap64 r0
	r0 = le16 r0
	r0 = le32 r0
	r0 = le64 r0
	r0 = be16 r0
	r0 = be32 r0
	r0 = be64 r0
	r0 = *(u8 *)(r1 + 1)
	r0 = *(u16 *)(r1 - 2)
	r0 = *(u32 *)(r1 + 4)
	r0 = *(u64 *)(r1 + 8)
	r0 = *(s8 *)(r1 + 1)
	r0 = *(s16 *)(r1 + 2)
	r0 = *(s32 *)(r1 + 4)
	*(u8 *)(r1 + 1) = r2
	*(u16 *)(r1 + 2) = r2
	*(u32 *)(r1 + 4) = r2
	*(u64 *)(r1 + 8) = r2
	*(u8 *)(r1 + 1) = 5
	*(u64 *)(r1 + 8) = -5
	w0 = *(u32 *)(r1 + 4)
	lock *(u64 *)(r1 + 0) += r2
	lock *(u32 *)(r1 + 0) += w2
	lock *(u64 *)(r1 + 0) |= r2
	lock *(u64 *)(r1 + 0) &= r2
	lock *(u64 *)(r1 + 0) ^= r2
	r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)
	w2 = atomic_fetch_add((u32 *)(r1 + 0), w2)
	r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)
	r2 = atomic_fetch_and((u64 *)(r1 + 0), r2)
	r2 = atomic_fetch_xor((u64 *)(r1 + 0), r2)
	r2 = xchg_64(r1 + 0, r2)
	w2 = xchg32_32(r1 + 0, w2)
	r0 = cmpxchg_64(r1 + 0, r0, r2)
	w0 = cmpxchg32_32(r1 + 0, w0, w2)
	r1 = 0x123456789 ll
	r0 = *(u8 *)skb[1]
	r0 = *(u16 *)skb[r1]
	r0 = *(u32 *)skb[4]
	call 1
	callx r1
	if r1 == r2 goto +1
	if r1 s> 5 goto -1
	if w1 s> 5 goto +1
	if w1 != w2 goto +1
	if r1 & r2 goto +1
	if r1 <= 3 goto +0
	goto +1
	gotol +1
	may_goto +1
	r1 = load_acquire((u64 *)(r2 + 8))
	w1 = load_acquire((u8 *)(r2 + 8))
	store_release((u32 *)(r1 - 4), w2)
	r1 = addr_space_cast(r2, 0, 1)
	gotox r3
	r0 = *(u32 *)skb[r1]
	lock *(u32 *)(r1 + 0) |= w2
	lock *(u32 *)(r1 + 0) &= w2
	lock *(u32 *)(r1 + 0) ^= w2
	w2 = atomic_fetch_or((u32 *)(r1 + 0), w2)
	w2 = atomic_fetch_and((u32 *)(r1 + 0), w2)
	w2 = atomic_fetch_xor((u32 *)(r1 + 0), w2)
	if w1 s>= 0x7fffffff goto -3
	if r1 s<= r2 goto +0
	if r1 s< r2 goto +0
	if r1 >= r2 goto +0
	if r1 < r2 goto +0
	if r1 > r2 goto +0
	if w1 <= w2 goto +0
	r1 = -0x8000000000000000 ll
	exit
