using System;
using System.IO;
using CSharpBpf.Compiler.Emit;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Emit;

/// <summary>The kernel's verifier log names the C# line of the rejected instruction, through our line_info.</summary>
public class LineInfoKernelTests
{
    private const string File = "Samples/Unchecked.cs";
    private const string Source =
        "[Xdp] static int FirstByte(xdp_md* ctx) {\n" +
        "    byte* data = (byte*)ctx->data;\n" +
        "    return data[0]; // no bounds check: the verifier refuses this line\n" +
        "}\n";

    private static IrModule Unchecked()
    {
        var m = new IrModule("Unchecked");
        m.SourceTexts[File] = Source;
        var f = m.AddProgram("FirstByte", "xdp", IntType.Int);
        f.Location = new SourceLocation(File, 1, 1);
        var ctx = f.AddParam("ctx", new PointerType(XdpHarness.XdpMd)).Reg;
        var b = new FunctionBuilder(f).At(File, 2, 18);
        var data = b.Load(4, ctx, 0, pointer: true);
        b.At(File, 3, 12);
        b.Return(b.Load(1, data));
        return m;
    }

    [SkippableFact]
    public void VerifierRejection_ShowsTheCSharpLine()
    {
        KernelSkip.UnlessBpfAllowed();
        var bpftool = ExternalTools.Find("bpftool");
        Skip.If(bpftool is null, "bpftool not installed");
        var path = Path.Combine(Path.GetTempPath(), $"csbpf-unchecked-{Environment.ProcessId}.bpf.o");
        var pin = $"/sys/fs/bpf/csbpf_backend_unchecked_{Environment.ProcessId}";
        System.IO.File.WriteAllBytes(path, ObjectWriter.Compile(Unchecked()));
        try
        {
            var (exit, stdout, stderr) = ExternalTools.Run(bpftool!, "-d", "prog", "loadall", path, pin);
            Assert.NotEqual(0, exit);
            var log = stdout + stderr;
            Assert.Contains("return data[0]; // no bounds check", log);
            Assert.Contains("Unchecked.cs:3", log);
        }
        finally
        {
            if (Directory.Exists(pin)) Directory.Delete(pin, true);
            System.IO.File.Delete(path);
        }
    }
}
