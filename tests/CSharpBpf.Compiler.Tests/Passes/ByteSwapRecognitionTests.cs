using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

/// <summary>The hand-written 16-bit swap becomes one be16, only when the value fits in 16 bits.
/// The differential construct HandWrittenSwap checks the values natively, in the VM and the kernel.</summary>
public class ByteSwapRecognitionTests
{
    private static string Swap(bool narrow, BinOp right, bool shlFirst)
    {
        var (_, f, b, _, _) = Function();
        var p = f.AddParam("p", new PointerType(IntType.UShort)).Reg;
        var x = narrow ? b.Load(2, p) : b.Load(4, p);
        var hi = b.Binary(right, x, 8L);
        var lo = b.Binary(BinOp.Shl, x, 8L);
        var or = shlFirst ? b.Binary(BinOp.Or, lo, hi) : b.Binary(BinOp.Or, hi, lo);
        b.Return(b.ZeroExtend(or, 16, Width.W32));
        return After(new ByteSwapRecognition(), f);
    }

    [Theory]
    [InlineData(BinOp.LShr, false)]
    [InlineData(BinOp.AShr, false)]
    [InlineData(BinOp.LShr, true)]
    public void Sixteen_bit_value_swapped_by_hand_is_be16(BinOp right, bool shlFirst) =>
        Assert.Contains("byteswap16", Swap(narrow: true, right, shlFirst));

    [Fact]
    public void A_value_wider_than_16_bits_is_left_alone() =>
        Assert.DoesNotContain("byteswap16", Swap(narrow: false, BinOp.LShr, false));

    [Fact]
    public void The_csharp_idiom_compiles_to_one_be16()
    {
        var m = TestCompilation.Lower(@"
public static unsafe partial class P
{
    static ushort Swap(ushort v) => (ushort)((v >> 8) | (v << 8));
    [Xdp]
    static int Run(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        if (d + 4 > (byte*)ctx->data_end) return 0;
        *(ushort*)(d + 2) = Swap(*(ushort*)d);
        return 2;
    }
}");
        var code = BpfBackend.Compile(m).Single(x => x.Name == "Run").Code;
        Assert.Single(code, i => i.Opcode == 0xdc && i.Imm == 16);
        Assert.DoesNotContain(code, i => (i.Opcode & 0x07) is 0x04 or 0x07 && (i.Opcode & 0xf0) is 0x60 or 0x70 or 0xc0); // no lsh/rsh/arsh
    }
}
