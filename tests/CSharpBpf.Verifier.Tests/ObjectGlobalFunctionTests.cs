using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// The clang-built calls_globals fixture has a global function (classify, __noinline, non-static) in .text: linking
/// gives the program func_info that marks it global, so it is verified on its own; the kernel, given the object's BTF
/// and that func_info, agrees.
/// </summary>
public class ObjectGlobalFunctionTests
{
    private readonly ITestOutputHelper _output;

    public ObjectGlobalFunctionTests(ITestOutputHelper output) => _output = output;

    private static (BpfObjectFile Obj, LinkedProgram Linked) LinkXdp()
    {
        var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture("calls_globals.bpf.o")));
        var fn = obj.Programs.First(p => BpfVerifier.Link(obj, p)?.Spec.ProgramType == VerifierProgramType.Xdp &&
                                         BpfVerifier.Link(obj, p)!.Spec.FunctionInfo!.Count > 1);
        return (obj, BpfVerifier.Link(obj, fn)!);
    }

    [Fact]
    public void Linking_carries_func_info_with_the_global_function_at_its_appended_place()
    {
        var (obj, linked) = LinkXdp();
        var info = linked.Spec.FunctionInfo!;
        Assert.Equal(0, info[0].InstructionIndex);
        var classify = info.Single(r => obj.Btf![r.FuncTypeId].Name == "classify");
        Assert.Equal(BtfFuncLinkage.Global, ((BtfFunc)obj.Btf![classify.FuncTypeId]).Linkage);
        Assert.Contains(classify.InstructionIndex, linked.Spec.FunctionStarts!);
        Assert.True(BpfVerifier.Verify(linked.Instructions, linked.Spec).IsAccepted);
    }

    [SkippableFact]
    public void Kernel_given_the_objects_btf_and_func_info_accepts_it_too()
    {
        KernelSkip.UnlessBpfAllowed();
        var (obj, linked) = LinkXdp();
        FixDatasecs(obj);
        var outcome = BtfKernelLoader.LoadLinked(linked);
        _output.WriteLine(outcome.Log);
        Assert.True(outcome.Accepted, outcome.Log);
        Assert.Contains("is safe for any args that match its prototype", outcome.Log); // verified on its own
    }

    /// <summary>
    /// clang leaves DATASEC sizes and variable offsets 0 for libbpf to fill in from the ELF section and symbols
    /// (the object model has them); the kernel wants them set.
    /// </summary>
    private static void FixDatasecs(BpfObjectFile obj)
    {
        foreach (var sec in obj.Btf!.Types.OfType<BtfDatasec>())
        {
            var data = obj.DataSections.FirstOrDefault(d => d.Name == sec.Name);
            if (data == null)
            {
                // license and the like: one variable at 0.
                if (sec.Size == 0) sec.Size = sec.Variables.Count == 0 ? 0 : sec.Variables.Max(v => v.Offset + v.Size);
                continue;
            }
            sec.Size = (uint)data.Size;
            foreach (var v in sec.Variables)
            {
                var sym = data.Variables.FirstOrDefault(x => x.Name == obj.Btf[v.TypeId].Name);
                if (sym != null) v.Offset = (uint)sym.Offset;
            }
        }
    }
}
