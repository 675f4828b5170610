using System;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Emit;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Emit;

public class CoreAndLimitsTests
{
    /// <summary>XDP reading xdp_md through CO-RE (as clang's preserve_access_index does) and returning data_end - data.</summary>
    private static IrModule CoreXdp()
    {
        var m = new IrModule("Core");
        var md = new StructType("xdp_md", 24, isKernelType: true)
            .Add("data", IntType.UInt, 0).Add("data_end", IntType.UInt, 4);
        var f = m.AddProgram("core_len", "xdp", IntType.Int);
        var ctx = f.AddParam("ctx", new PointerType(md)).Reg;
        var b = new FunctionBuilder(f).At("Core.cs", 3, 9);
        var data = b.Load(4, ctx, 0, core: new CoreAccess(md, "0:0"));
        var end = b.Load(4, ctx, 4, core: new CoreAccess(md, "0:1"));
        var len = b.Binary(BinOp.Sub, end, data);
        var big = b.NewBlock("big");
        var small = b.NewBlock("small");
        b.Branch(CmpOp.Ugt, len, 1500, big, small);
        b.SetBlock(big);
        b.Return(1L);
        b.SetBlock(small);
        b.Return(2L);
        return m;
    }

    [Fact]
    public void KernelTypeAccesses_GetCoreFieldRelocations()
    {
        var obj = BpfObjectFile.Read(ObjectWriter.Compile(CoreXdp()));
        var relos = obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "xdp").Records;
        Assert.Equal(2, relos.Count);
        Assert.Equal(new[] { "0:0", "0:1" }, relos.Select(r => r.AccessString));
        Assert.All(relos, r => Assert.Equal(BpfCoreReloKind.FieldByteOffset, r.Kind));
        Assert.All(relos, r => Assert.Equal("xdp_md", obj.Btf![r.TypeId].Name));
        // The relocated instructions are the two loads, in slots 0 and 1.
        Assert.Equal(new uint[] { 0, 8 }, relos.Select(r => r.InsnOffset));
    }

    [SkippableFact]
    public void CoreObject_LoadsWithBpftool()
    {
        KernelSkip.UnlessBpfAllowed();
        var bpftool = ExternalTools.Find("bpftool");
        Skip.If(bpftool is null, "bpftool not installed");
        var path = Path.Combine(Path.GetTempPath(), $"csbpf-core-{Environment.ProcessId}.bpf.o");
        var pin = $"/sys/fs/bpf/csbpf_backend_core_{Environment.ProcessId}";
        File.WriteAllBytes(path, ObjectWriter.Compile(CoreXdp()));
        try
        {
            var (exit, stdout, stderr) = ExternalTools.Run(bpftool!, "prog", "loadall", path, pin);
            Assert.True(exit == 0, $"bpftool prog loadall failed ({exit}):\n{stdout}\n{stderr}");
        }
        finally
        {
            if (Directory.Exists(pin)) Directory.Delete(pin, true);
            File.Delete(path);
        }
    }

    [Fact]
    public void StackOver512Bytes_IsAnErrorAtTheFunction()
    {
        var m = new IrModule("Big");
        var f = m.AddProgram("big", "xdp", IntType.Int);
        f.Location = new SourceLocation("Big.cs", 12, 5);
        var b = new FunctionBuilder(f).At("Big.cs", 13, 9);
        var a = b.FrameAddr(f.NewSlot(300, 8, "a"));
        var c = b.FrameAddr(f.NewSlot(300, 8, "c"));
        b.Store(8, a, 0, 1L);
        b.Store(8, c, 0, 2L);
        b.Return(0L);
        var e = Assert.Throws<BackendException>(() => BpfBackend.Compile(m));
        Assert.Contains("608 bytes of stack", e.Reason); // two 300-byte slots, each rounded up to 8 bytes
        Assert.Equal(new SourceLocation("Big.cs", 12, 5), e.Location);
        Assert.Equal("big", e.Function);
    }

    [Fact]
    public void ValuesLiveAcrossCalls_UseCalleeSavedRegisters()
    {
        var m = XdpHarness.Build((b, v) =>
        {
            var helper = XdpHarness.ModuleOf(b.Function).Helper("bpf_ktime_get_ns", 5, IntType.ULong);
            var t = b.Call(helper)!;
            return b.Binary(BinOp.Add, b.Binary(BinOp.Mul, v[0], v[1]), b.Binary(BinOp.And, t, 0));
        });
        var cf = XdpHarness.CompileSingle(m);
        int call = Array.FindIndex(cf.Code, i => i.IsCall);
        // Everything live across the call (the packet pointer and both inputs) sits in r6-r9.
        Assert.All(cf.Code.Skip(call + 1).Where(i => i.Opcode == 0x0f || i.Opcode == 0x2f), i => Assert.InRange((int)i.Src, 0, 9));
        Assert.Equal(0, cf.StackSize);
        Assert.Contains(cf.Code.Take(call), i => i.Dst >= 6 && i.Dst <= 9);
    }
}
