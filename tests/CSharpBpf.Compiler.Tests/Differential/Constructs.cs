using System.Runtime.InteropServices;
using CSharpBpf;

// One method per construct of the compiler's C# subset. This file is compiled twice: natively, as
// part of the test assembly, and by the CSharpBpf compiler (the differential test reads it from disk
// and adds an XDP entry that feeds each method its arguments from the packet). Both must agree.
// Methods guard division so the native side never throws: division by zero is tested separately
// (eBPF semantics, documented in INTERFACES.md), as is int.MinValue / -1.

namespace CSharpBpf.Compiler.Tests.Differential;

public enum Color : byte { Red = 1, Green = 2, Blue = 200 }

[StructLayout(LayoutKind.Explicit)]
public struct Halves
{
    [FieldOffset(0)] public long Whole;
    [FieldOffset(0)] public int Low;
    [FieldOffset(4)] public int High;
    [FieldOffset(2)] public short Middle;
}

public unsafe struct Record
{
    public byte Tag;
    public long Value;
    public fixed ushort Slots[6];
    public Inner Nested;
}

public struct Inner
{
    public short A;
    public uint B;
}

[System.Runtime.CompilerServices.InlineArray(8)]
public struct Eight
{
    private long _element;
}

public static unsafe partial class Constructs
{
    public const int Scale = 7;

    public static int IntWrap(int a, int b) => a + b * 3 - (a ^ b);
    public static long LongArith(long a, long b) => a * b - (a | 5) + (b & 0x7fff_ffff_ffffL);
    public static uint UIntArith(uint a, uint b) => a * 2654435761u ^ (b >> 3) + ~a;
    public static ulong ULongArith(ulong a, ulong b) => a * 0x9E3779B97F4A7C15ul + (b ^ (a >> 17));
    public static int ShiftInt(int a, int count) => (a << count) ^ (a >> count) ^ (int)((uint)a >> count);
    public static long ShiftLong(long a, int count) => (a << count) | (a >> count) ^ (long)((ulong)a >>> count);
    public static ulong ShiftULong(ulong a, int count) => (a >> count) + (a << (count + 1));
    public static int ShiftSmall(byte a, sbyte count) => (a << count) + (a >> 3);
    public static int SignedCompare(int a, int b) => a < b ? 1 : a == b ? 0 : a >= b + 5 ? 2 : -1;
    public static int UnsignedCompare(uint a, uint b) => a < b ? 1 : a <= b ? 0 : a > 0x8000_0000u ? 3 : 2;
    public static int LongCompare(long a, ulong b) => (ulong)a > b ? 1 : a < 0 ? 2 : (ulong)a == b ? 3 : 4;
    public static bool BoolLogic(int a, int b) => (a > 0 && b > 0) || (a == b && !(a < -5)) || (a & 1) != 0 && b < 0;
    public static int DivRemInt(int a, int b) => b == 0 || b == -1 ? 0 : a / b + a % b * 3;
    public static uint DivRemUInt(uint a, uint b) => b == 0 ? 0u : a / b + a % b;
    public static long DivRemLong(long a, long b) => b == 0 || b == -1 ? 0 : a / b - a % b;
    public static ulong DivRemULong(ulong a, ulong b) => b == 0 ? 0ul : a / b * 3 + a % b;
    public static int DivByConstants(int a, uint b) => a / 7 + a % 5 + (int)(b / 3u) + (int)(b % 10u) + a / -4;
    public static long Casts(long a) => (sbyte)a + (byte)a + (short)a + (ushort)a + (int)a + (uint)a;
    public static ulong CastsUnsigned(int a, sbyte b) => (ulong)a ^ (ulong)(uint)a ^ (ulong)b ^ (uint)b ^ (ushort)b;
    public static int NarrowArith(byte a, sbyte b)
    {
        byte x = a;
        x += 200;
        x *= 3;
        sbyte y = b;
        y -= 100;
        y++;
        short s = (short)(x * y);
        ushort u = (ushort)(s - 1);
        return x + y + s + u;
    }
    public static int Unary(int a, long b) => -a + ~a + (int)-b + (int)~b + (a != 0 ? 1 : 0);
    public static long CompoundAssign(long a, int b)
    {
        long x = a;
        x += b;
        x <<= b & 7;
        x ^= 0x1234;
        x >>= 3;
        x |= (long)b << 40;
        x &= ~0xffL;
        x -= a;
        x *= 5;
        int y = b;
        y %= 9 + (b & 1);
        y /= 2;
        return x + y;
    }
    public static long IncDec(long a)
    {
        long x = a;
        long r = x++ + ++x;
        r += x-- - --x;
        int i = (int)a;
        r += i++ * 2 + i;
        return r;
    }
    public static int ForLoop(int a, int b)
    {
        int sum = 0;
        for (int i = 0; i < (a & 31); i++)
        {
            if (i == 5) continue;
            sum += i * b;
            if (sum > 1000000) break;
        }
        return sum;
    }
    public static uint WhileLoops(uint a)
    {
        uint n = a & 63, steps = 0;
        while (n > 1 && steps < 100)
        {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        do { steps += 2; } while (steps < 10);
        return steps;
    }
    public static int Switch(int a)
    {
        switch (a)
        {
            case 0: return 10;
            case 1:
            case 2: return 20;
            case 7: a *= 3; break;
            case > 1000: return 30;
            case < -1000: return 40;
            default: a += 1; break;
        }
        return a;
    }
    public static int EnumSwitch(byte raw)
    {
        var c = (Color)raw;
        return c switch
        {
            Color.Red => 1,
            Color.Green => 2,
            Color.Blue => 3,
            _ => (int)c + 100,
        };
    }
    public static long Struct(long a, int b)
    {
        Record r = default;
        r.Tag = (byte)a;
        r.Value = a * 3;
        r.Slots[b & 3] = (ushort)b;
        r.Slots[5] = 9;
        r.Nested.A = (short)b;
        r.Nested.B = (uint)a;
        Record copy = r;
        copy.Value += 1;
        return r.Value + copy.Value + r.Tag + r.Slots[b & 3] + r.Slots[5] + r.Nested.A + copy.Nested.B;
    }
    public static long ExplicitLayout(long a)
    {
        Halves h = default;
        h.Whole = a;
        int lo = h.Low, hi = h.High;
        short mid = h.Middle;
        h.High = lo;
        return h.Whole + hi + mid;
    }
    public static long Pointers(long a, int b)
    {
        long* buf = stackalloc long[4];
        for (int i = 0; i < 4; i++) buf[i] = a + i;
        long* p = buf + (b & 3);
        *p += 100;
        long* q = &buf[3];
        long diff = q - p;
        int* words = (int*)buf;
        return *p + diff + words[1] + buf[0];
    }
    public static long RefsAndOut(long a, long b)
    {
        long x = a, y = b;
        Swap(ref x, ref y);
        Split(x, out int lo, out int hi);
        ref long r = ref x;
        r += 1;
        return x * 3 + y + lo + hi;
    }
    private static void Swap(ref long x, ref long y)
    {
        long t = x;
        x = y;
        y = t;
    }
    private static void Split(long v, out int lo, out int hi)
    {
        lo = (int)v;
        hi = (int)(v >> 32);
    }
    public static long LocalFunctions(long a, int b)
    {
        return Square(a) + Mix(b, 3);
        static long Square(long v) => v * v;
        static int Mix(int v, int k) => v * k + (v >> 2);
    }
    public static ulong CallsSubprogram(ulong a, ulong b) => Heavy(a, b) + Heavy(b, a);
    [Inline(false)]
    private static ulong Heavy(ulong x, ulong y)
    {
        ulong h = x;
        for (int i = 0; i < 4; i++) h = (h ^ y) * 1099511628211ul + (ulong)i;
        return h;
    }
    [Unroll]
    public static long Unrolled(long a, int b)
    {
        long acc = 0;
        for (int i = 0; i < 6; i++)
        {
            if (i == (b & 7)) continue;
            acc = acc * 31 + (a >> i);
            if (acc == 12345) break;
        }
        for (uint k = 10; k >= 3; k -= 3) acc += k * (uint)b;
        return acc;
    }
    public static long InlineBuffer(long a, int b)
    {
        Eight e = default;
        for (int i = 0; i < 8; i++) e[i] = a >> i;
        e[b & 7] += 3;
        long s = 0;
        foreach (long x in e) s = s * 3 + x;
        foreach (ref long y in e) y ^= s;
        return s + e[1] + e[(b >> 3) & 7];
    }
    public static int Patterns(int a, uint b)
    {
        int r = a is 0 ? 1 : 0;
        if (a is > 5 and < 100 or -7) r += 2;
        if (b is not (3 or 4)) r += 4;
        r += b switch { < 10 => 8, >= 10 and <= 1000 => 16, _ => 32 };
        switch (a)
        {
            case > 0 and <= 9: r += 64; break;
            case < -1000 or > 1000: r += 128; break;
            default: break;
        }
        return r;
    }
    // System.Threading.Interlocked on stack memory: one BPF_ATOMIC each (fetch form when the result is used)
    public static long AtomicAddLong(long a, long b)
    {
        long x = a;
        long r = System.Threading.Interlocked.Add(ref x, b);
        System.Threading.Interlocked.Add(ref x, 3);            // result unused: plain add
        System.Threading.Interlocked.Increment(ref x);
        long d = System.Threading.Interlocked.Decrement(ref x);
        return r * 7 + d * 3 + x;
    }
    public static int AtomicAddInt(int a, int b)
    {
        int x = a;
        uint u = (uint)b;
        int r = System.Threading.Interlocked.Add(ref x, b);
        uint ru = System.Threading.Interlocked.Add(ref u, 0x8000_0001u);
        System.Threading.Interlocked.Decrement(ref x);
        int i = System.Threading.Interlocked.Increment(ref x);
        return r * 5 + (int)ru + i + x;
    }
    public static long AtomicBitwise(long a, int b)
    {
        ulong x = (ulong)a;
        int y = b;
        ulong oldAnd = System.Threading.Interlocked.And(ref x, 0xff00_ff00_ff00_ff00ul);
        int oldOr = System.Threading.Interlocked.Or(ref y, 0x0f0f);
        System.Threading.Interlocked.Or(ref x, (ulong)(uint)b);
        System.Threading.Interlocked.And(ref y, 0x7fff_fff0);
        return (long)(oldAnd ^ x) + oldOr * 3 + y;
    }
    public static long AtomicExchange(long a, long b)
    {
        long x = a;
        uint y = (uint)b;
        long old = System.Threading.Interlocked.Exchange(ref x, b);
        uint oldY = System.Threading.Interlocked.Exchange(ref y, (uint)a);
        return old * 3 + x + oldY + y;
    }
    public static long AtomicCompareExchange(long a, long b)
    {
        long x = a;
        int y = (int)b;
        long seen = System.Threading.Interlocked.CompareExchange(ref x, 99, b & 1);  // swaps only when a == (b & 1)
        long seen2 = System.Threading.Interlocked.CompareExchange(ref x, b, x);      // always swaps
        int seenY = System.Threading.Interlocked.CompareExchange(ref y, (int)a, 5);
        return seen * 11 + seen2 * 7 + x * 3 + seenY + y;
    }
    // byte order: one BPF_END (be16/be32/be64) each
    public static long ReverseEndianness(long a, int b)
    {
        ushort u16 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)a);
        short s16 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((short)b);
        uint u32 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)b);
        int s32 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((int)a);
        ulong u64 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ulong)a);
        long s64 = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(a ^ b);
        byte one = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((byte)b);
        return (long)u64 * 3 + s64 + u16 * 5 + s16 * 7 + u32 + (long)s32 * 11 + one
            + System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)0x1234);  // folded at compile time
    }
    public static long NetworkOrder(uint a, ushort b)
    {
        ushort port = Bpf.Htons(b);
        uint addr = Bpf.Htonl(a);
        return port + ((long)addr << 16) + Bpf.Ntohs((ushort)(port + 1)) * 3 + Bpf.Ntohl(addr ^ 0xff) + (b > 100 ? Bpf.Htons(b) : 0);
    }
    // constant-trip loops the optimizer fully unrolls (LoopUnrolling): results, and values read after the loop
    public static long ConstantTripLoops(long a, int b)
    {
        long acc = 0;
        int i;
        for (i = 0; i < 7; i++) acc = acc * 3 + (a >> i);
        long last = 0;
        for (int k = 12; k > 0; k -= 4) { last = a * k; acc ^= last; }
        uint u = 0;
        for (uint j = 1; j != 9; j++) u += (uint)b << (int)j;
        ulong wide = 0;
        for (long w = -3; w <= 3; w++) wide = wide * 31 + (ulong)(w * b);
        return acc + i * 1000 + last + u + (long)wide;
    }
    // the hand-written swap the optimizer turns into be16 (ByteSwapRecognition), and look-alikes it must not
    public static long HandWrittenSwap(ushort a, int b)
    {
        ushort s = (ushort)((a >> 8) | (a << 8));
        ushort t = (ushort)((a << 8) | (a >> 8));
        ushort wide = (ushort)((b >> 8) | (b << 8));           // b may exceed 16 bits: not a swap
        ushort narrowed = (ushort)b;
        ushort u = (ushort)((narrowed >> 8) | (narrowed << 8));
        return s + ((long)t << 16) + ((long)wide << 32) + ((long)u << 48);
    }
    public static int ConstantFolding(int a) => a * Scale + (Scale << 3) + (int)(sizeof(Record) * 2) + (1 << 30) / Scale;
}
