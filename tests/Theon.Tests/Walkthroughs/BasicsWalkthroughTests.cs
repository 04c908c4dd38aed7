using static Theon.T;
using static Theon.Tests.Walkthroughs.Walkthrough;

namespace Theon.Tests.Walkthroughs;

/// <summary>shared/walkthroughs/01-basics.csx, spelled as in the file.</summary>
public class BasicsWalkthroughTests
{
    [Fact]
    public void FunctionOfTwoScalars()
    {
        var a = dscalar("a");
        var b = dscalar("b");
        var c = a * b;
        var f = function([a, b], c);
        Check((double)f(1.5, 3) == 4.5, "f(1.5, 3) is 4.5");
        try { f("not a number", 3); Check(false, "a string is refused"); }
        catch (ArgumentException e) { Check(e.Message.Contains("a"), "the error names the input"); }
    }

    [Fact]
    public void SharedVariableWithUpdates()
    {
        var x = iscalar("x");
        var sh = shared(0, name: "sh");
        var accumulate = function([x], pow(sh, 2), updates: [(sh, sh + x)]);
        Check((long)accumulate(1) == 0, "first call sees sh = 0");
        Check((long)accumulate(1) == 1, "second call sees sh = 1");
        Check((long)accumulate(1) == 4, "third call sees sh = 2");
        Check((long)sh.get_value() == 3, "three updates applied");
        sh.set_value(10);
        Check((long)accumulate(5) == 100, "set_value is seen by the next call");
        try { accumulate(1.5); Check(false, "a float is refused for an int input (no silent downcast)"); }
        catch (ArgumentException) { }
        Check((long)sh.get_value() == 15, "a refused call leaves shared variables as they were");
    }

    [Fact]
    public void SeveralOutputs()
    {
        var d = dscalar("d");
        var powers = function([d], [pow(d, 2), pow(d, 3)]);
        var (square, cube) = powers(3);
        Check((double)square == 9 && (double)cube == 27, "d**2 and d**3 at 3");
    }

    [Fact]
    public void GradientAndPrettyPrinter()
    {
        var xs = dscalar("x");
        var y = pow(xs, 3);
        var qy = grad(y, xs);
        var fq = function([xs], qy);
        Check((double)fq(4) == 48, "d(x**3)/dx at 4 is 48");
        Assert.Equal("((fill((x ** TensorConstant{3}), TensorConstant{1.0}) * TensorConstant{3}) * (x ** (TensorConstant{3} - TensorConstant{1})))", pp(qy));
        Assert.Equal("(TensorConstant{3.0} * sqr(x))", pp(fq));
        Check(pp(fq).Length < pp(qy).Length, "the compiled graph is simplified");
    }
}
