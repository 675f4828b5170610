using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CSharpBpf.Vm.Execution;

/// <summary>
/// The RFC 9669 arithmetic whose edge cases a plain C# operator gets wrong or throws on; both
/// engines call these, so they cannot disagree. Division by zero yields 0; modulo by zero leaves
/// dst unchanged (the 32-bit forms still zero the upper half); signed INT_MIN / -1 yields INT_MIN and
/// INT_MIN % -1 yields 0, as the kernel's interpreter and JITs do, instead of trapping.
/// </summary>
public static class AluSemantics
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong dst, ulong src) => src == 0 ? 0 : dst / src;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong dst, ulong src) => src == 0 ? dst : dst % src;

    public static ulong SDiv64(ulong dst, ulong src)
    {
        long a = (long)dst, b = (long)src;
        if (b == 0) return 0;
        if (b == -1) return unchecked((ulong)-a);
        return (ulong)(a / b);
    }

    public static ulong SMod64(ulong dst, ulong src)
    {
        long a = (long)dst, b = (long)src;
        if (b == 0) return dst;
        if (b == -1) return 0;
        return (ulong)(a % b);
    }

    public static ulong Div32(ulong dst, ulong src)
    {
        uint a = (uint)dst, b = (uint)src;
        return b == 0 ? 0 : a / b;
    }

    public static ulong Mod32(ulong dst, ulong src)
    {
        uint a = (uint)dst, b = (uint)src;
        return b == 0 ? a : a % b;
    }

    public static ulong SDiv32(ulong dst, ulong src)
    {
        int a = (int)dst, b = (int)src;
        if (b == 0) return 0;
        if (b == -1) return unchecked((uint)-a);
        return (uint)(a / b);
    }

    public static ulong SMod32(ulong dst, ulong src)
    {
        int a = (int)dst, b = (int)src;
        if (b == 0) return (uint)a;
        if (b == -1) return 0;
        return (uint)(a % b);
    }

    public static ulong Bswap16(ulong v) => BinaryPrimitives.ReverseEndianness((ushort)v);
    public static ulong Bswap32(ulong v) => BinaryPrimitives.ReverseEndianness((uint)v);
    public static ulong Bswap64(ulong v) => BinaryPrimitives.ReverseEndianness(v);
}
