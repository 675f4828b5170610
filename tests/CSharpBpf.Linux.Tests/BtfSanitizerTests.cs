using System.Linq;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>This kernel has every BTF kind, so sanitizing is proven on a synthetic BTF with a pretend-old feature set.</summary>
public sealed class BtfSanitizerTests
{
    private static byte[] ModernBtf()
    {
        var b = new Btf();
        var i = b.AddInt("int", 4, BtfIntEncoding.Signed);
        var s = b.AddStruct("s", 4);
        s.AddMember("a", i.Id, 0);
        b.AddDeclTag("tag", s.Id, 0);
        var tt = b.AddTypeTag("user", i.Id);
        b.AddPtr(tt.Id);
        b.AddFloat("float", 4);
        b.AddEnum64("big", 8).AddValue("HUGE", 1L << 40);
        var p = b.AddFuncProto(i.Id);
        b.AddFunc("global_fn", p.Id, BtfFuncLinkage.Global);
        b.AddEnum("neg", 4, isSigned: true).AddValue("M", -1);
        var v = b.AddVar("counter", i.Id, BtfVarLinkage.GlobalAllocated);
        b.AddDatasec(".data", 4).AddVariable(v.Id, 0, 4);
        return BtfWriter.Write(b);
    }

    [Fact]
    public void Kinds_an_old_kernel_lacks_are_replaced_in_place()
    {
        var original = BtfReader.Read(ModernBtf());
        var sanitized = BtfReader.Read(BtfSanitizer.Sanitize(ModernBtf(), BtfFeatures.None));
        // Ids do not move: every original id is still there, one placeholder INT is appended for ENUM64.
        Assert.Equal(original.LastId + 1, sanitized.LastId);
        foreach (var t in sanitized.Types.Take((int)original.LastId))
        {
            Assert.DoesNotContain(t.Kind, new[] { BtfKind.DeclTag, BtfKind.TypeTag, BtfKind.Float, BtfKind.Enum64, BtfKind.Var, BtfKind.Datasec });
        }
        Assert.Equal(BtfKind.Int, sanitized[3].Kind);    // DECL_TAG → INT
        Assert.Equal(BtfKind.Const, sanitized[4].Kind);  // TYPE_TAG → CONST
        Assert.Equal(BtfKind.Struct, sanitized[6].Kind); // FLOAT → STRUCT
        var union = Assert.IsType<BtfUnion>(sanitized[7]); // ENUM64 → UNION of the placeholder
        Assert.Equal(sanitized.LastId, union.Members[0].TypeId);
        Assert.Equal(BtfFuncLinkage.Static, ((BtfFunc)sanitized[9]).Linkage);
        Assert.False(((BtfEnum)sanitized[10]).IsSigned);
        Assert.Equal(BtfKind.Struct, sanitized[12].Kind); // DATASEC → STRUCT
    }

    [Fact]
    public void With_every_feature_present_the_bytes_are_untouched()
    {
        var bytes = ModernBtf();
        Assert.Same(bytes, BtfSanitizer.Sanitize(bytes, BtfFeatures.All));
    }

    [SkippableFact]
    public void The_kernel_accepts_both_the_original_and_the_sanitized_btf()
    {
        KernelSkip.UnlessBpfAllowed();
        Assert.Equal(BtfFeatures.All, BtfFeatures.Running);
        using (BtfLoader.Load(ModernBtf())) { }
        using (BtfLoader.Load(BtfSanitizer.Sanitize(ModernBtf(), BtfFeatures.None))) { }
    }
}
