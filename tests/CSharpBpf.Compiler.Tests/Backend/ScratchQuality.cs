using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Tests.Backend.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.Backend;

public class ScratchQuality
{
    private readonly ITestOutputHelper _out;
    public ScratchQuality(ITestOutputHelper o) => _out = o;

    [Fact]
    public void Dump()
    {
        foreach (var file in System.IO.Directory.GetFiles("/tmp/scratch/q", "*.cs"))
        {
            var src = System.IO.File.ReadAllText(file);
            var m = CSharpBpf.Compiler.Tests.Frontend.TestCompilation.Lower(src);
            var before = IrPrinter.Print(m);
            var fs = BpfBackend.Compile(m);
            System.IO.File.WriteAllText(file + ".out", before + "\n=====\n" + IrPrinter.Print(m) + "\n=====\n" + Listing.Of(fs));
        }
    }
}
