using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>
/// check_max_stack_depth: after every path is verified, the kernel walks the call graph from the main program (every
/// bpf-to-bpf call and callback reference in each subprogram's code) and sums the stack of each chain, global
/// functions included. Static calls are also checked on the fly (UpdateCombinedStack); this walk adds the chains
/// that go through a global function, which the path exploration never enters from its caller.
/// </summary>
internal sealed partial class PathExplorer
{
    private void CheckCallGraphStack()
    {
        var onPath = new HashSet<int>();
        Walk(0, 0, 1, -1);

        void Walk(int sub, int below, int frames, int callSite)
        {
            int total = below + RoundUp(StackDepth[sub]);
            if (total > FrameState.StackSize)
                FailAt(callSite < 0 ? 0 : callSite, VerifierErrorCodes.StackTooLarge,
                    $"combined stack size of {frames} calls is {total}. Too large: a function and the functions it calls (global ones too) may use at most 512 bytes of stack together; use smaller locals or a per-CPU array map as scratch space");
            if (total > MaxCombinedStack) MaxCombinedStack = total;
            if (!onPath.Add(sub)) return; // recursion is refused elsewhere; never loop here
            int end = _structure.SubprogramEnd(sub);
            for (int i = _structure.SubprogramStarts[sub]; i < end; i++)
            {
                var insn = _prog[i];
                bool call = insn.IsJump && insn.JmpOp == JmpOp.Call && insn.Src == (byte)CallKind.Local && insn.Source != SourceOperand.X;
                bool func = insn.IsWideLoad && insn.Src == (byte)PseudoSource.Func;
                if (call || func)
                {
                    int target = i + insn.Imm + 1;
                    int callee = _structure.SubprogramOf(target);
                    if (callee > 0 && _structure.SubprogramStarts[callee] == target) Walk(callee, total, frames + 1, i);
                }
                if (insn.IsWideLoad) i++;
            }
            onPath.Remove(sub);
        }
    }
}
