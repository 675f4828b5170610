using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

/// <summary>AddressFolding combines chains of constant pointer adds (data + sizeof(Eth) + sizeof(Ip)).</summary>
public class PointerAddChainTests
{
    [Fact]
    public void Consecutive_constant_pointer_adds_become_one()
    {
        var (_, f, b, _, _) = Function();
        var p = f.AddParam("p", new PointerType(IntType.Byte)).Reg;
        var q = b.Binary(BinOp.Add, p, 14L, pointer: true);
        var r = b.Binary(BinOp.Add, q, 20L, pointer: true);
        var s = b.Binary(BinOp.Sub, r, 4L, pointer: true);
        b.Return(b.Load(8, s, 0));
        var text = After(new AddressFolding(), f);
        Assert.Contains($"{r}:ptr = add {p}, 34", text);
        Assert.Contains($"{s}:ptr = add {p}, 30", text);
    }

    [Fact]
    public void A_reassigned_base_is_not_combined()
    {
        var (_, f, b, _, _) = Function();
        var p = f.AddParam("p", new PointerType(IntType.Byte)).Reg;
        var q = b.Binary(BinOp.Add, p, 14L, pointer: true);
        b.BinaryInto(p, BinOp.Add, p, 1L);   // p changes after q was computed
        var r = b.Binary(BinOp.Add, q, 20L, pointer: true);
        b.Return(b.Load(8, r, 0));
        Assert.Contains($"{r}:ptr = add {q}, 20", After(new AddressFolding(), f));
    }
}
