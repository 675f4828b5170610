using System;
using System.IO;
using CSharpBpf.Compiler.Emit;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Emit;

/// <summary>
/// A Reno congestion control built as IR: struct_ops programs calling the kernel's Reno kfuncs,
/// a .struct_ops variable naming them — written by the backend, registered by bpftool.
/// </summary>
public class StructOpsKernelTests
{
    private static readonly string CcName = "csbk" + (Environment.ProcessId % 100000);

    internal static IrModule RenoModule(string ccName)
    {
        var m = new IrModule("Reno");
        var sock = new StructType("sock", 0, isKernelType: true);
        var sockPtr = new PointerType(sock);
        var u32 = new IntType("u32", 4, false);
        var ctxPtr = new PointerType(IntType.ULong); // BPF_PROG's "unsigned long long *ctx"

        var ssthreshK = m.Kfunc("tcp_reno_ssthresh", u32, new FuncParam("sk", sockPtr));
        var undoK = m.Kfunc("tcp_reno_undo_cwnd", u32, new FuncParam("sk", sockPtr));
        var avoidK = m.Kfunc("tcp_reno_cong_avoid", VoidType.Instance,
            new FuncParam("sk", sockPtr), new FuncParam("ack", u32), new FuncParam("acked", u32));

        IrFunction OneArgForward(string name, IrFunction kfunc)
        {
            var f = m.AddProgram(name, "struct_ops/" + name, u32);
            var ctx = f.AddParam("ctx", ctxPtr).Reg;
            var b = new FunctionBuilder(f).At("Reno.cs", 1, 1);
            var sk = b.Load(8, ctx, 0, pointer: true);
            b.Return(b.Call(kfunc, sk)!);
            return f;
        }

        var ssthresh = OneArgForward("bk_ssthresh", ssthreshK);
        var undo = OneArgForward("bk_undo_cwnd", undoK);
        var avoid = m.AddProgram("bk_cong_avoid", "struct_ops/bk_cong_avoid", VoidType.Instance);
        {
            var ctx = avoid.AddParam("ctx", ctxPtr).Reg;
            var b = new FunctionBuilder(avoid).At("Reno.cs", 2, 1);
            var sk = b.Load(8, ctx, 0, pointer: true);
            var ack = b.Load(4, ctx, 8);
            var acked = b.Load(4, ctx, 16);
            b.Call(avoidK, sk, ack, acked);
            b.Return();
        }

        var protoU32 = new PointerType(new FuncProtoType(u32, new[] { new FuncParam("", sockPtr) }));
        var protoAvoid = new PointerType(new FuncProtoType(VoidType.Instance, new[] { new FuncParam("", sockPtr), new FuncParam("", u32), new FuncParam("", u32) }));
        var ops = new StructType("tcp_congestion_ops", 192, isKernelType: true)
            .Add("ssthresh", protoU32, 0)
            .Add("cong_avoid", protoAvoid, 8)
            .Add("undo_cwnd", protoU32, 64)
            .Add("name", new ArrayType(new IntType("char", 1, true), 16), 88);
        var so = new StructOpsVariable("bk_reno", ops);
        so.Programs["ssthresh"] = ssthresh;
        so.Programs["cong_avoid"] = avoid;
        so.Programs["undo_cwnd"] = undo;
        so.SetString("name", ccName);
        m.StructOps.Add(so);
        return m;
    }

    [Fact]
    public void StructOpsObject_HasKfuncExternsAndOpsVariable()
    {
        var obj = BpfObjectFile.Read(ObjectWriter.Compile(RenoModule(CcName)));
        var so = Assert.Single(obj.StructOps);
        Assert.Equal("tcp_congestion_ops", so.TypeName);
        Assert.Equal(3, so.FunctionMembers.Count);
        Assert.Contains(obj.Externs, e => e.Name == "tcp_reno_ssthresh" && e.Kind == BpfExternKind.Function && e.BtfSection == ".ksyms");
        Assert.Contains(obj.ProgramSections, s => s.Name == "struct_ops/bk_cong_avoid" &&
            s.Relocations.Count == 1 && s.Relocations[0].Kind == BpfRelocationKind.KfuncCall);
    }

    [SkippableFact]
    public void RenoStructOps_RegistersWithBpftool()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        var bpftool = ExternalTools.Find("bpftool");
        Skip.If(bpftool is null, "bpftool not installed");
        var path = Path.Combine(Path.GetTempPath(), $"csbpf-reno-{Environment.ProcessId}.bpf.o");
        File.WriteAllBytes(path, ObjectWriter.Compile(RenoModule(CcName)));
        try
        {
            var (exit, stdout, stderr) = ExternalTools.Run(bpftool!, "struct_ops", "register", path);
            Assert.True(exit == 0, $"bpftool struct_ops register failed ({exit}):\n{stdout}\n{stderr}");
            var available = File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control");
            Assert.Contains(CcName, available);
        }
        finally
        {
            ExternalTools.Run(bpftool!, "struct_ops", "unregister", "name", "bk_reno");
            File.Delete(path);
        }
    }
}
