using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Fixtures;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// An object our writer makes from scratch (no clang): it reads back as built, LLVM's tools
/// accept it, the kernel loads it through raw bpf(2) (BTF_LOAD + PROG_LOAD with func_info and
/// line_info) and runs it (PROG_TEST_RUN), and bpftool (libbpf) loads the same file.
/// </summary>
public class FromScratchXdpKernelTests
{
    [Fact]
    public void From_scratch_object_reads_back_with_its_btf_func_info_and_line_info()
    {
        var obj = BpfObjectFile.Read(XdpFromScratch.Build().ToBytes());
        var prog = Assert.Single(obj.Programs);
        Assert.Equal((XdpFromScratch.Function, "xdp", 0, 10), (prog.Name, prog.SectionName, prog.InstructionOffset, prog.InstructionCount));
        Assert.Equal(XdpFromScratch.Program(), obj.FindProgramSection("xdp")!.Instructions);
        Assert.Equal("GPL", obj.License);
        var func = Assert.IsType<BtfFunc>(obj.Btf!.Find(XdpFromScratch.Function, BtfKind.Func));
        var proto = Assert.IsType<BtfFuncProto>(obj.Btf[func.TypeId]);
        Assert.Equal("xdp_md", obj.Btf[((BtfPtr)obj.Btf[proto.Parameters[0].TypeId]).TypeId].Name);
        var fi = Assert.Single(obj.BtfExt!.FuncInfos.Single(s => s.SectionName == "xdp").Records);
        Assert.Equal((0u, func.Id), (fi.InsnOffset, fi.TypeId));
        var li = obj.BtfExt.LineInfos.Single(s => s.SectionName == "xdp").Records;
        Assert.Equal(XdpFromScratch.Lines.Select(l => ((uint)l.Insn * 8, l.Line, l.Text, XdpFromScratch.SourceFile)),
            li.Select(r => (r.InsnOffset, r.Line, r.LineText, r.FileName)));
    }

    [SkippableFact]
    public void Llvm_objdump_reads_the_from_scratch_object()
    {
        Skip.IfNot(ExternalTool.IsInstalled("llvm-objdump-22"), "llvm-objdump-22 is not installed");
        using var file = new TempObjectFile(XdpFromScratch.Build().ToBytes(), "xdp");
        var run = ExternalTool.Run("llvm-objdump-22", "-d", "-l", "--no-show-raw-insn", file.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StdErr);
        Assert.Contains("<xdp_drop_ff>:", run.StdOut);
        Assert.Contains("w2 = *(u32 *)(r1 + 0x0)", run.StdOut);
        Assert.Contains("if r4 != 0xff goto +0x1", run.StdOut);
    }

    [SkippableFact]
    public void Kernel_loads_and_runs_the_from_scratch_object_through_raw_bpf_syscalls()
    {
        KernelSkip.UnlessBpfAllowed();
        var elf = ElfReader.Read(XdpFromScratch.Build().ToBytes());
        byte[] btf = elf.FindSection(".BTF")!.Data;
        byte[] ext = elf.FindSection(".BTF.ext")!.Data;
        byte[] insns = elf.FindSection("xdp")!.Data;
        var (funcInfo, lineInfo) = BtfExtRaw.ForKernel(ext, btf, "xdp");
        Assert.Equal(2, funcInfo.Length);
        Assert.Equal(XdpFromScratch.Lines.Length * 4, lineInfo.Length);

        using var btfFd = BpfSyscall.BtfLoad(btf);
        using var progFd = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.Xdp, insns)
        {
            Name = "csbpf_xdp_ff",
            Btf = btfFd,
            FuncInfo = funcInfo,
            LineInfo = lineInfo,
        });
        var packet = new byte[64];
        packet[0] = 0xff;
        Assert.Equal(XdpFromScratch.XdpDrop, BpfSyscall.TestRun(progFd, packet).Retval);
        packet[0] = 0x45;
        Assert.Equal(XdpFromScratch.XdpPass, BpfSyscall.TestRun(progFd, packet).Retval);
    }

    [SkippableFact]
    public void Bpftool_loads_the_from_scratch_object()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.IfNot(ExternalTool.IsInstalled("bpftool"), "bpftool is not installed");
        using var load = BpftoolLoad.Program(XdpFromScratch.Build().ToBytes(), "elf_xdp");
        load.AssertSucceeded();
        var show = ExternalTool.Run("bpftool", "prog", "show", "pinned", load.Pin);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("xdp", show.StdOut);
        Assert.Contains("xdp_drop_ff", show.StdOut);
    }
}
