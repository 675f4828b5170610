using System;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Emit;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Emit;

public class ObjectWriterTests
{
    [Fact]
    public void Counter_ObjectHasLibbpfSectionsMapsGlobalsAndBtfExt()
    {
        var bytes = ObjectWriter.Compile(SamplePrograms.Counter());
        var obj = BpfObjectFile.Read(bytes);

        Assert.Equal("GPL", obj.License);
        var xdp = obj.FindProgramSection("xdp");
        Assert.NotNull(xdp);
        Assert.Contains(xdp!.Functions, f => f.Name == "Count" && f.IsEntryPoint);
        var text = obj.FindProgramSection(".text");
        Assert.Contains(text!.Functions, f => f.Name == "Classify" && f.IsGlobal);
        Assert.Contains(xdp.Relocations, r => r.Kind == BpfRelocationKind.SubprogramCall && r.SymbolName == "Classify");
        Assert.Contains(xdp.Relocations, r => r.Kind == BpfRelocationKind.Map && r.SymbolName == "Counts");
        Assert.Contains(xdp.Relocations, r => r.Kind == BpfRelocationKind.GlobalData && r.SymbolName == "Seen");

        var map = obj.FindMap("Counts");
        Assert.NotNull(map);
        Assert.Equal(CSharpBpf.Object.Objects.BpfMapType.Array, map!.Type);
        Assert.Equal(4u, map.KeySize);
        Assert.Equal(8u, map.ValueSize);
        Assert.Equal(2u, map.MaxEntries);
        Assert.NotNull(obj.FindDataSection(".bss"));

        var btf = obj.Btf!;
        var func = btf.Find<BtfFunc>("Count");
        Assert.NotNull(func);
        Assert.Equal(BtfFuncLinkage.Global, func!.Linkage);
        Assert.NotNull(btf.Find<BtfDatasec>(".maps"));
        var lines = obj.BtfExt!.LineInfos.Single(s => s.SectionName == "xdp").Records;
        Assert.Contains(lines, l => l.FileName == SamplePrograms.File && l.Line == 4 && l.LineText.Contains("Counts.Lookup(key)"));
        Assert.Contains(obj.BtfExt.FuncInfos, s => s.SectionName == ".text" && s.Records.Count == 1);
    }

    [SkippableFact]
    public void Counter_LoadsWithBpftool_AndRunsInKernel()
    {
        KernelSkip.UnlessBpfAllowed();
        var bpftool = ExternalTools.Find("bpftool");
        Skip.If(bpftool is null, "bpftool not installed");
        var bytes = ObjectWriter.Compile(SamplePrograms.Counter());
        var path = Path.Combine(Path.GetTempPath(), $"csbpf-counter-{Environment.ProcessId}.bpf.o");
        var pin = $"/sys/fs/bpf/csbpf_backend_test_{Environment.ProcessId}";
        File.WriteAllBytes(path, bytes);
        try
        {
            var (exit, stdout, stderr) = ExternalTools.Run(bpftool!, "prog", "loadall", path, pin);
            Assert.True(exit == 0, $"bpftool prog loadall failed ({exit}):\n{stdout}\n{stderr}");
            Assert.True(File.Exists(Path.Combine(pin, "Count")), "the program was not pinned");
        }
        finally
        {
            if (Directory.Exists(pin)) Directory.Delete(pin, true);
            File.Delete(path);
        }
    }
}
