using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Byte-order conversions as one BPF_END instruction each (be16/be32/be64: the target is
/// little-endian, so "to big-endian" is a byte swap), instead of the shift/or sequence the same C#
/// written by hand costs: BinaryPrimitives.ReverseEndianness and Bpf.Htons/Ntohs/Htonl/Ntohl.
/// </summary>
internal sealed partial class FunctionLowering
{
    private Operand ByteSwap(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        var type = m.Parameters[0].Type;
        if (ByteOrderCalls.SwapBits(type) is not { } bits)
            throw new LoweringException(BpfDiagnostics.UnsupportedCall, inv.Syntax, m.ToDisplayString());
        var v = Value(Arg(inv, 0));
        At(inv);
        if (bits == 8) return v; // one byte: nothing to reverse
        var w = bits == 64 ? Width.W64 : Width.W32;
        var swapped = _b.Unary(bits switch { 16 => UnOp.ByteSwap16, 32 => UnOp.ByteSwap32, _ => UnOp.ByteSwap64 }, InWidth(v, w), w);
        // short: keep the normalised form (sign-extended to 32 bits); be16 zero-extends
        return type.SpecialType == SpecialType.System_Int16 ? _b.SignExtend(swapped, 16, Width.W32) : swapped;
    }

    private Operand InWidth(Operand v, Width w)
    {
        if (v.IsImm || v.Reg!.Width == w) return v;
        var r = _b.Reg(w);
        _b.Move(r, v);
        return r;
    }
}

/// <summary>Which byte-order members have a BPF_END lowering.</summary>
public static class ByteOrderCalls
{
    /// <summary>BinaryPrimitives.ReverseEndianness of one integer (not the span overloads).</summary>
    public static bool IsReverseEndianness(IMethodSymbol m) =>
        m.Name == "ReverseEndianness" && m.Parameters.Length == 1 &&
        m.ContainingType?.ToDisplayString() == "System.Buffers.Binary.BinaryPrimitives" && SwapBits(m.Parameters[0].Type) is not null;

    /// <summary>The CSharpBpf.Bpf network-order helpers.</summary>
    public static bool IsNetworkOrder(string name) => name is "Htons" or "Ntohs" or "Htonl" or "Ntohl";

    /// <summary>The width of the swap for an integer type (8: nothing to swap), or null when BPF has none.</summary>
    public static int? SwapBits(ITypeSymbol t) => t.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte => 8,
        SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 16,
        SpecialType.System_Int32 or SpecialType.System_UInt32 => 32,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr => 64,
        _ => null,
    };
}
