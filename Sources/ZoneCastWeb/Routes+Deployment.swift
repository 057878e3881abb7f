import Foundation
import Hummingbird

func addDeploymentRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
