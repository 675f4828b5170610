using System;
using System.Collections.Generic;
using CSharpBpf.Verifier;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// A program of a loaded object that the managed verifier refuses, so the kernel would refuse it
/// too: a test that passes in the VM must not fail at PROG_LOAD. The message names the program,
/// the instruction, the verifier's error code and, when the object has line_info, the source line.
/// </summary>
public sealed class BpfProgramRejectedException : Exception
{
    public BpfProgramRejectedException(VerificationResult result)
        : base(Describe(result)) => Result = result;

    public VerificationResult Result { get; }

    public string ProgramName => Result.ProgramName;

    public IReadOnlyList<VerifierError> Errors => Result.Errors;

    private static string Describe(VerificationResult result)
    {
        var first = result.Errors.Count > 0 ? result.Errors[0].ToString() : "no error recorded";
        return $"the verifier rejects program '{result.ProgramName}': {first}. The kernel would refuse to load it; " +
            "fix the program, or set BpfTestHost.VerifyObjects = false to run it unverified.";
    }
}
