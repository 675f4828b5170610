using System;
using System.Linq;
using CSharpBpf.TestSupport.Docs;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Generator.Tests.Docs;

/// <summary>docs/DIAGNOSTICS.md's table of VM errors names exactly the members of <see cref="VmErrorKind"/>
/// (the compile-time ids and verifier codes are checked in Analyzers.Tests, which sees the analyzers).</summary>
public class DiagnosticsRuntimeCodesDocTests
{
    [Fact]
    public void Vm_error_kinds_match_the_table()
    {
        var kinds = Enum.GetNames<VmErrorKind>().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var documented = DocCodeBlocks.TableCodes(DocCodeBlocks.DocPath("DIAGNOSTICS.md"), "VM errors (BpfVmException.Kind)")
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(kinds, documented);
    }
}
