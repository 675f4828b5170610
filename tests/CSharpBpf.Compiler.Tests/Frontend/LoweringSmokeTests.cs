using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.Frontend;

public class LoweringSmokeTests
{
    private readonly ITestOutputHelper _out;
    public LoweringSmokeTests(ITestOutputHelper output) => _out = output;

    private const string Counter = @"
public static unsafe partial class P
{
    [Map(MaxEntries = 4)] static ArrayMap<ulong> Counts;
    static readonly uint Limit = 1500;
    static ulong Seen;

    [Xdp]
    static XdpAction Count(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        if (data + 14 > end) return XdpAction.Drop;
        uint len = (uint)(end - data);
        ulong* c = Counts.Lookup(len > Limit ? 1u : 0u);
        if (c != null) *c += 1;
        Seen++;
        return XdpAction.Pass;
    }
}";

    [Fact]
    public void Xdp_counter_lowers_to_valid_ir_with_map_global_and_helper()
    {
        var m = TestCompilation.Lower(Counter);
        _out.WriteLine(IrPrinter.Print(m));
        var prog = m.Functions.Single(f => f.Kind == FunctionKind.Program);
        Assert.Equal("xdp", prog.SectionName);
        Assert.Single(m.Maps, x => x.Name == "Counts" && x.Type == BpfMapType.Array && x.MaxEntries == 4);
        Assert.Contains(m.Globals, g => g.Name == "Limit" && g.Section == GlobalSection.Rodata && g.InitialValue![0] == (1500 & 0xff));
        Assert.Contains(m.Globals, g => g.Name == "Seen" && g.Section == GlobalSection.Bss);
        Assert.Contains(prog.AllInstructions.OfType<CallInst>(), c => c.Callee.HelperId == 1);
        Assert.All(prog.AllInstructions, i => Assert.False(i.Location.IsNone, "every instruction carries a C# location: " + i));
        Assert.Contains(prog.AllInstructions, i => i.Location.Line == 18); // the Lookup line (4 using lines + 14)
    }

    [Fact]
    public void Xdp_counter_compiles_through_the_backend()
    {
        var m = TestCompilation.Lower(Counter);
        var compiled = BpfBackend.Compile(m);
        var prog = compiled.Single(f => f.Name == "Count");
        _out.WriteLine($"{prog.Code.Length} instructions");
        Assert.True(prog.Code.Length > 5);
    }
}
