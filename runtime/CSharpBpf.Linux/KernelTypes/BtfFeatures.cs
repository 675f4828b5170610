using System;
using CSharpBpf.Linux.Native;
using CSharpBpf.Object.Btf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Linux.KernelTypes;

/// <summary>Which BTF kinds and flags the running kernel accepts (each probed once by loading a tiny BTF, as libbpf does).</summary>
public sealed record BtfFeatures(bool Datasec, bool Float, bool DeclTag, bool TypeTag, bool Enum64, bool GlobalFunc, bool SignedEnum)
{
    public static BtfFeatures All { get; } = new(true, true, true, true, true, true, true);
    public static BtfFeatures None { get; } = new(false, false, false, false, false, false, false);

    private static readonly Lazy<BtfFeatures> LazyRunning = new(Probe);

    public static BtfFeatures Running => LazyRunning.Value;

    private static BtfFeatures Probe() => new(
        Datasec: Loads(b => { var i = b.AddInt("int", 4, BtfIntEncoding.Signed); var v = b.AddVar("v", i.Id, BtfVarLinkage.GlobalAllocated); b.AddDatasec(".data", 4).AddVariable(v.Id, 0, 4); }),
        Float: Loads(b => b.AddFloat("float", 4)),
        DeclTag: Loads(b => { var i = b.AddInt("int", 4, BtfIntEncoding.Signed); var s = b.AddStruct("s", 4); s.AddMember("a", i.Id, 0); b.AddDeclTag("tag", s.Id, 0); }),
        TypeTag: Loads(b => { var i = b.AddInt("int", 4, BtfIntEncoding.Signed); var t = b.AddTypeTag("tag", i.Id); b.AddPtr(t.Id); }),
        Enum64: Loads(b => b.AddEnum64("e", 8).AddValue("A", 1L << 40)),
        GlobalFunc: Loads(b => { var i = b.AddInt("int", 4, BtfIntEncoding.Signed); var p = b.AddFuncProto(i.Id); b.AddFunc("f", p.Id, BtfFuncLinkage.Global); }),
        SignedEnum: Loads(b => b.AddEnum("e", 4, isSigned: true).AddValue("A", -1)));

    private static bool Loads(Action<BtfModel> build)
    {
        var btf = new BtfModel();
        build(btf);
        try
        {
            using var fd = BtfLoader.Load(BtfWriter.Write(btf));
            return true;
        }
        catch (BpfSyscallException)
        {
            return false;
        }
    }
}
