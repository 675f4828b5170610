using System.Linq;
using CSharpBpf.Object.Btf;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

public class BtfRoundTripTests
{
    private static CSharpBpf.Object.Btf.Btf RoundTrip(CSharpBpf.Object.Btf.Btf btf, bool bigEndian = false) =>
        BtfReader.Read(BtfWriter.Write(btf, bigEndian));

    [Fact]
    public void Every_kind_round_trips_to_the_same_types()
    {
        var built = BtfSamples.EveryForm();
        var read = RoundTrip(built);

        Assert.Equal(built.Types.Count, read.Types.Count);
        Assert.Equal(BtfRawFormatter.Format(built), BtfRawFormatter.Format(read));
        var kinds = read.Types.Select(t => t.Kind).Distinct().ToHashSet();
        foreach (var kind in System.Enum.GetValues(typeof(BtfKind)).Cast<BtfKind>().Where(k => k != BtfKind.Void))
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void Big_endian_BTF_round_trips()
    {
        var built = BtfSamples.EveryForm();
        byte[] bytes = BtfWriter.Write(built, bigEndian: true);
        Assert.Equal(new byte[] { 0xeb, 0x9f }, bytes.Take(2).ToArray());
        Assert.Equal(BtfRawFormatter.Format(built), BtfRawFormatter.Format(BtfReader.Read(bytes)));
    }

    [Fact]
    public void Fields_of_each_kind_survive_the_round_trip()
    {
        var read = RoundTrip(BtfSamples.EveryForm());

        var pair = read.Find<BtfStruct>("pair")!;
        Assert.Equal(32u, pair.Size);
        Assert.True(pair.HasBitfieldEncoding);
        var mode = pair.FindMember("mode")!;
        Assert.Equal(35u, mode.BitOffset);
        Assert.Equal(5u, mode.BitfieldSize);
        Assert.Equal(4u, mode.ByteOffset);
        Assert.Equal(24u, pair.FindMember("next")!.ByteOffset);

        var colour = read.Find<BtfEnum>("colour")!;
        Assert.False(colour.IsSigned);
        Assert.Equal(0xffffffffL, colour.FindValue("ALL")!.Value);
        var delta = read.Find<BtfEnum>("delta")!;
        Assert.True(delta.IsSigned);
        Assert.Equal(-1L, delta.FindValue("DOWN")!.Value);
        var big = read.Find<BtfEnum64>("big")!;
        Assert.Equal(ulong.MaxValue, (ulong)big.FindValue("MAX")!.Value);
        Assert.Equal(1L << 40, big.FindValue("TERA")!.Value);

        Assert.True(read.Find<BtfFwd>("later_u")!.IsUnion);
        Assert.False(read.Find<BtfFwd>("later_s")!.IsUnion);
        Assert.Equal(BtfFuncLinkage.Extern, read.Find<BtfFunc>("bpf_kfunc_x")!.Linkage);
        Assert.Equal(BtfFuncLinkage.Static, read.Find<BtfFunc>("helper")!.Linkage);
        Assert.Equal(BtfVarLinkage.GlobalExtern, read.Find<BtfVar>("ext_var")!.Linkage);
        var u4 = read.Find<BtfInt>("u4")!;
        Assert.Equal((4u, (byte)2), (u4.Bits, u4.Offset));
        Assert.True(read.Find<BtfDeclTag>("attr_tag")!.IsAttribute);
        Assert.Equal(0, read.Find<BtfDeclTag>("member_tag")!.ComponentIndex);
        Assert.Equal(-1, read.Find<BtfDeclTag>("func_tag")!.ComponentIndex);
        Assert.True(read.Find<BtfTypeTag>("attr_ttag")!.IsAttribute);
        Assert.True(read.Types.OfType<BtfFuncProto>().Single(p => p.IsVariadic).Parameters[1].TypeId == 0);
        var bss = read.Find<BtfDatasec>(".bss")!;
        Assert.Equal((4u, 4u), (bss.Variables[0].Offset, bss.Variables[0].Size));
        Assert.Equal(read.FindId("hidden", BtfKind.Var), bss.Variables[0].TypeId);
    }

    [Fact]
    public void Strings_are_deduplicated_on_write()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        for (int n = 0; n < 10; n++)
        {
            var s = btf.AddStruct("s" + n, 4);
            s.AddMember("value", i.Id, 0);
        }
        byte[] bytes = BtfWriter.Write(btf);
        var read = BtfReader.Read(bytes);
        // "", "int", "value" once, and ten struct names: 1 + 4 + 6 + 10 * 3 bytes.
        Assert.Equal(1 + 4 + 6 + 10 * 3, read.Strings!.Length);
        Assert.Equal("value", read.Find<BtfStruct>("s7")!.Members[0].Name);
    }

    [Fact]
    public void Writing_is_deterministic_and_idempotent()
    {
        byte[] first = BtfWriter.Write(BtfSamples.EveryForm());
        byte[] second = BtfWriter.Write(BtfReader.Read(first));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Split_BTF_continues_the_base_ids_and_strings()
    {
        var baseBtf = BtfReader.Read(BtfWriter.Write(BtfSamples.KernelLoadable()));
        var split = new CSharpBpf.Object.Btf.Btf(baseBtf);
        Assert.Equal(baseBtf.LastId + 1, split.FirstId);
        var mod = split.AddStruct("module_ops", 16);
        var fn = split.AddPtr(baseBtf.Types.OfType<BtfFuncProto>().First().Id);
        mod.AddMember("pair", baseBtf.FindId("pair", BtfKind.Struct), 0);
        mod.Size = 48;
        mod.AddMember("op", fn.Id, 256);
        mod.AddMember("int", baseBtf.FindId("int", BtfKind.Int), 320); // a name that is also in the base table

        byte[] bytes = BtfWriter.Write(split);
        var read = BtfReader.Read(bytes, baseBtf);

        Assert.Equal(split.FirstId, read.FirstId);
        Assert.Equal(BtfRawFormatter.Format(split), BtfRawFormatter.Format(read));
        var ops = read.Find<BtfStruct>("module_ops")!;
        Assert.Equal(baseBtf.LastId + 1, ops.Id);
        Assert.Same(baseBtf.Find<BtfStruct>("pair"), read.GetType(ops.Members[0].TypeId));
        Assert.Same(baseBtf.Find<BtfStruct>("pair"), read.Find<BtfStruct>("pair"));
        Assert.Equal(48ul, read.SizeOf(ops.Id));
        Assert.Throws<BpfFormatException>(() => BtfReader.Read(bytes, baseBtf: null));
    }
}
