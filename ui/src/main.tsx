// The window's first script (issue 6): it asks for the start's data and only then loads the rest
// of the UI, which is most of the code; the answers travel while that code is read.
import { prefetchStart } from "./prefetch";
import { markStep } from "./startup";

markStep("script");
prefetchStart();
void import("./app").then((app) => app.mountApp(document.getElementById("app")!));
